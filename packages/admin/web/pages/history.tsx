import { useState } from 'preact/hooks';
import { revertSchema } from '../../src/schemas/index.js';
import { api, messageOf, type Session, validate } from '../api.js';
import { Alert, TableHead } from '../components.js';

interface Change {
  version: number;
  action: string;
  actor?: string;
  at: string;
  diff: { path: string; before: unknown; after: unknown }[];
}

const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v));

/** A flag's change history with each change's diff, and (admins) revert to a version. */
export function History(props: { flag: string; session: Session; done: () => void }) {
  const [changes, setChanges] = useState<Change[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const path = `flags/${encodeURIComponent(props.flag)}`;
  const load = async () => {
    try {
      setChanges((await api<{ items: Change[] }>(`${path}/history`)).items);
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const revert = async (version: number) => {
    try {
      await api(`${path}/revert`, 'POST', validate(revertSchema, { version }));
      await load();
      props.done();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  if (!changes)
    return (
      <>
        <button type="button" onClick={load}>
          History<span class="sr-only"> of {props.flag}</span>
        </button>
        <Alert message={error} />
      </>
    );
  return (
    <section aria-label={`History of ${props.flag}`}>
      <table>
        <TableHead columns={['Version', 'When', 'Actor', 'Changes', '']} />
        <tbody>
          {changes.map((c) => (
            <tr key={c.version}>
              <th scope="row">v{c.version}</th>
              <td>{c.at.replace('T', ' ').slice(0, 19)}</td>
              <td>{c.actor ?? '—'}</td>
              <td>
                <ul class="diff">
                  {c.diff.map((d) => (
                    <li key={d.path}>
                      <code>{d.path}</code>: {show(d.before)} → {show(d.after)}
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                {props.session.can.revertFlags && c.action !== 'delete' && (
                  <button type="button" onClick={() => revert(c.version)}>
                    Revert to v{c.version}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Alert message={error} />
    </section>
  );
}
