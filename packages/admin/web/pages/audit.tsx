import { useState } from 'preact/hooks';
import { api, messageOf, type Session } from '../api.js';
import { Alert, Page, TableHead } from '../components.js';

interface AuditEvent {
  id: string;
  occurredAt: string;
  action: string;
  outcome: string;
  tenantId: string;
  actor: { id: string; type: string };
  targets: { type: string; id: string }[];
  request: { traceId?: string };
}
interface Filters {
  tenant: string;
  actor: string;
  action: string;
  outcome: string;
  q: string;
}

const FIELDS: [keyof Filters, string][] = [
  ['actor', 'Actor'],
  ['action', 'Action'],
  ['q', 'Full text'],
];

function queryOf(filters: Filters, cursor?: string): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v.trim()) q.set(k, v.trim());
  if (cursor) q.set('cursor', cursor);
  q.set('limit', '50');
  return q.toString();
}

function Events({ events }: { events: AuditEvent[] }) {
  return (
    <table>
      <TableHead columns={['When', 'Action', 'Actor', 'Target', 'Tenant', 'Outcome']} />
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <td>
              <time dateTime={e.occurredAt}>{e.occurredAt.replace('T', ' ').slice(0, 19)}</time>
            </td>
            <th scope="row">
              <code>{e.action}</code>
            </th>
            <td class="actor">{e.actor.id}</td>
            <td>{e.targets.map((t) => `${t.type}:${t.id}`).join(', ')}</td>
            <td>{e.tenantId}</td>
            <td>
              <span class={`badge ${e.outcome}`}>{e.outcome}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface Verified {
  ok: boolean;
  checked: number;
  brokenAt?: number;
  detail?: string;
}

/** Checks the tenant's hash chain and says whether it is intact. */
function Verify({ tenant }: { tenant: string }) {
  const [result, setResult] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const verify = async () => {
    try {
      const r = await api<Verified>(`audit/verify?tenant=${encodeURIComponent(tenant)}`);
      setResult(
        r.ok
          ? `Chain of “${tenant}” intact: ${r.checked} events checked.`
          : `Chain of “${tenant}” broken at event ${r.brokenAt}: ${r.detail ?? ''}`,
      );
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <p>
      <button type="button" onClick={verify}>
        Verify chain
      </button>{' '}
      <output>{result}</output>
      <Alert message={error} />
    </p>
  );
}

export function AuditPage({ session }: { session: Session }) {
  const [filters, setFilters] = useState<Filters>({
    tenant: session.tenant ?? '',
    actor: '',
    action: '',
    outcome: '',
    q: '',
  });
  const [events, setEvents] = useState<AuditEvent[] | undefined>(undefined);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const load = async (more: boolean) => {
    try {
      const page = await api<{ events: AuditEvent[]; nextCursor?: string }>(
        `audit/events?${queryOf(filters, more ? cursor : undefined)}`,
      );
      setEvents(more ? [...(events ?? []), ...page.events] : page.events);
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const set = (key: keyof Filters) => (e: { currentTarget: { value: string } }) =>
    setFilters({ ...filters, [key]: e.currentTarget.value });
  const exportTenant = filters.tenant.trim() || 'default';
  const exportHref = (format: string) =>
    `api/audit/export?tenant=${encodeURIComponent(exportTenant)}&format=${format}`;
  return (
    <Page title="Audit log">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          load(false);
        }}
      >
        <label>
          Tenant
          <input
            value={filters.tenant}
            readOnly={session.tenant !== null}
            onInput={set('tenant')}
          />
        </label>
        {FIELDS.map(([key, label]) => (
          <label key={key}>
            {label}
            <input value={filters[key]} onInput={set(key)} name={key} />
          </label>
        ))}
        <label>
          Outcome
          <select value={filters.outcome} onChange={set('outcome')}>
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      <p class="exports">
        Export tenant “{exportTenant}”:{' '}
        <a href={exportHref('csv')} download>
          CSV
        </a>{' '}
        <a href={exportHref('ndjson')} download>
          NDJSON
        </a>
      </p>
      <Verify tenant={exportTenant} />
      <Alert message={error} />
      {events && events.length === 0 && <p>No events match.</p>}
      {events && events.length > 0 && <Events events={events} />}
      {cursor && (
        <button type="button" onClick={() => load(true)}>
          Load more
        </button>
      )}
    </Page>
  );
}
