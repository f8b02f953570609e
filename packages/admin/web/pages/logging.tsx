import { useState } from 'preact/hooks';
import { LOG_LEVELS, logLevelSchema } from '../../src/schemas/index.js';
import { api, type Session, validate } from '../api.js';
import { Alert, Loading, Page } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import { Inspector } from './inspector.js';

interface ModuleLevel {
  module: string;
  level: string;
  overridden?: boolean;
}

function Module({
  entry,
  session,
  done,
}: {
  entry: ModuleLevel;
  session: Session;
  done: () => void;
}) {
  const [level, setLevel] = useState(entry.level);
  const action = useAction(done);
  const path = `logging/${encodeURIComponent(entry.module)}`;
  const save = (event: Event) => {
    event.preventDefault();
    action.run(() => api(path, 'PUT', validate(logLevelSchema, { level })));
  };
  return (
    <tr>
      <th scope="row">
        <code>{entry.module}</code>
      </th>
      <td>{entry.level}</td>
      {session.can.changeLogLevels && (
        <td>
          <form class="inline" onSubmit={save}>
            <label>
              <span class="sr-only">Level of {entry.module}</span>
              <select value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
                {LOG_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={action.busy}>
              Set
            </button>
            <button
              type="button"
              disabled={action.busy}
              onClick={() => action.run(() => api(path, 'DELETE'))}
            >
              Reset
            </button>
          </form>
          <Alert message={action.error} />
        </td>
      )}
    </tr>
  );
}

export function LoggingPage({ session }: { session: Session }) {
  const { data, error, reload } = useLoad(() => api<{ modules: ModuleLevel[] }>('logging'));
  return (
    <Page title="Log levels">
      <Alert message={error} />
      {!data && !error && <Loading what="log modules" />}
      {data && (
        <table>
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col">Level</th>
              {session.can.changeLogLevels && <th scope="col">Change</th>}
            </tr>
          </thead>
          <tbody>
            {data.modules.map((m) => (
              <Module key={`${m.module}:${m.level}`} entry={m} session={session} done={reload} />
            ))}
          </tbody>
        </table>
      )}
      {session.areas.inspector && session.can.inspect && <Inspector traceUrl={session.traceUrl} />}
    </Page>
  );
}
