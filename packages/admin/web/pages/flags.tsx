import { useState } from 'preact/hooks';
import {
  rolloutSchema,
  tenantIdSchema,
  tenantOverrideSchema,
  toggleSchema,
} from '../../src/schemas/index.js';
import { api, type Session, validate } from '../api.js';
import { Alert, Loading, Page, TableHead } from '../components.js';
import { useAction, useLoad } from '../hooks.js';
import { History } from './history.js';

interface Flag {
  key: string;
  enabled: boolean;
  version: number;
  description?: string;
  serve?: { variant?: string; rollout?: { percentage?: number } };
  tenants: Record<string, { enabled?: boolean }>;
}

const path = (key: string) => `flags/${encodeURIComponent(key)}`;

function Overrides({ flag, session, done }: { flag: Flag; session: Session; done: () => void }) {
  const [tenant, setTenant] = useState(session.tenant ?? '');
  const [on, setOn] = useState('off');
  const action = useAction(done);
  const set = (event: Event) => {
    event.preventDefault();
    action.run(() => {
      const id = validate(tenantIdSchema, tenant);
      const body = validate(tenantOverrideSchema, { enabled: on === 'on' });
      return api(`${path(flag.key)}/tenants/${encodeURIComponent(id)}`, 'PUT', body);
    });
  };
  const remove = (id: string) =>
    action.run(() => api(`${path(flag.key)}/tenants/${encodeURIComponent(id)}`, 'DELETE'));
  const entries = Object.entries(flag.tenants);
  return (
    <div class="overrides">
      {entries.length > 0 && (
        <ul aria-label={`Tenant overrides of ${flag.key}`}>
          {entries.map(([id, o]) => (
            <li key={id}>
              {id}: {o.enabled === false ? 'off' : 'on'}{' '}
              <button type="button" onClick={() => remove(id)} disabled={action.busy}>
                Remove override for {id}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={set} class="inline" aria-label={`Tenant override for ${flag.key}`}>
        <label>
          Tenant
          <input
            value={tenant}
            readOnly={session.tenant !== null}
            onInput={(e) => setTenant(e.currentTarget.value)}
            name="tenant"
          />
        </label>
        <label>
          Serves
          <select value={on} onChange={(e) => setOn(e.currentTarget.value)} name="serve">
            <option value="on">on</option>
            <option value="off">off</option>
          </select>
        </label>
        <button type="submit" disabled={action.busy}>
          Set override
        </button>
      </form>
      <Alert message={action.error} />
    </div>
  );
}

function Row({ flag, session, done }: { flag: Flag; session: Session; done: () => void }) {
  const current = flag.serve?.rollout?.percentage;
  const [percent, setPercent] = useState(String(current ?? 100));
  const action = useAction(done);
  const toggle = () =>
    action.run(() =>
      api(`${path(flag.key)}/toggle`, 'POST', validate(toggleSchema, { enabled: !flag.enabled })),
    );
  const rollout = (event: Event) => {
    event.preventDefault();
    action.run(() => {
      const body = validate(rolloutSchema, { percentage: Number(percent) });
      return api(`${path(flag.key)}/rollout`, 'PUT', body);
    });
  };
  const state = flag.enabled ? 'On' : 'Off';
  return (
    <tr>
      <th scope="row">
        <code>{flag.key}</code>
        {flag.description && <div class="muted">{flag.description}</div>}
        {session.can.flagHistory && <History flag={flag.key} session={session} done={done} />}
      </th>
      <td>
        {session.can.toggleFlags ? (
          <button
            type="button"
            class={flag.enabled ? 'on' : 'off'}
            aria-pressed={flag.enabled}
            onClick={toggle}
            disabled={action.busy}
            data-flag-toggle={flag.key}
          >
            {state}
            <span class="sr-only"> — toggle {flag.key}</span>
          </button>
        ) : (
          <span class={flag.enabled ? 'badge on' : 'badge off'}>{state}</span>
        )}
      </td>
      <td>
        {session.can.rollout ? (
          <form onSubmit={rollout} class="inline" noValidate>
            <label>
              <span class="sr-only">Rollout percentage of {flag.key}</span>
              <input
                type="number"
                min={0}
                max={100}
                value={percent}
                onInput={(e) => setPercent(e.currentTarget.value)}
              />
            </label>
            <button type="submit" disabled={action.busy}>
              Save
            </button>
          </form>
        ) : (
          <span>{current === undefined ? '—' : `${current}%`}</span>
        )}
      </td>
      <td>
        {session.can.tenantOverrides ? (
          <Overrides flag={flag} session={session} done={done} />
        ) : (
          Object.keys(flag.tenants).join(', ') || '—'
        )}
        <Alert message={action.error} />
      </td>
    </tr>
  );
}

export function FlagsPage({ session }: { session: Session }) {
  const [query, setQuery] = useState('');
  const { data, error, reload } = useLoad(() => api<{ items: Flag[] }>('flags'));
  const shown = (data?.items ?? []).filter((f) =>
    f.key.toLowerCase().includes(query.trim().toLowerCase()),
  );
  return (
    <Page title="Feature flags">
      <label class="search">
        Search flags
        <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </label>
      <Alert message={error} />
      {!data && !error && <Loading what="flags" />}
      {data && (
        <table>
          <TableHead columns={['Flag', 'State', 'Rollout %', 'Tenant overrides']} />
          <tbody>
            {shown.map((flag) => (
              <Row key={flag.key} flag={flag} session={session} done={reload} />
            ))}
          </tbody>
        </table>
      )}
      {data && shown.length === 0 && <p>No flag matches “{query}”.</p>}
    </Page>
  );
}
