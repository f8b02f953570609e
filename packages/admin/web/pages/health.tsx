import { api } from '../api.js';
import { Alert, Loading, Page, TableHead } from '../components.js';
import { useLoad } from '../hooks.js';

interface Check {
  name: string;
  status: string;
  response_time_ms: number;
  message?: string;
  critical: boolean;
}
interface Stats {
  requests: number;
  rate: number;
  errorRate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}
interface Slo {
  name: string;
  objective: number;
  availability: number;
  error_budget_remaining: number;
  burn_rate: Record<string, number>;
}

const ms = (s: number | null) => (s === null ? '—' : `${Math.round(s * 1000)} ms`);
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** A section's data, or its error message, without failing the other sections. */
async function settle<T>(load: Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await load };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function Dependencies({ checks }: { checks: Check[] }) {
  return (
    <table>
      <caption>Dependencies</caption>
      <TableHead columns={['Check', 'Status', 'Response time', 'Message']} />
      <tbody>
        {checks.map((c) => (
          <tr key={c.name}>
            <th scope="row">
              {c.name}
              {c.critical && <span class="muted"> (critical)</span>}
            </th>
            <td>
              <span class={`badge ${c.status}`}>{c.status}</span>
            </td>
            <td>{c.response_time_ms} ms</td>
            <td>{c.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Routes({ routes }: { routes: Record<string, Stats> }) {
  const rows = Object.entries(routes);
  return (
    <table>
      <caption>Requests per route (last hour)</caption>
      <TableHead columns={['Route', 'Requests', 'Rate /s', '5xx', 'P50', 'P95', 'P99']} />
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={7}>No requests yet.</td>
          </tr>
        )}
        {rows.map(([route, s]) => (
          <tr key={route}>
            <th scope="row">{route}</th>
            <td>{s.requests}</td>
            <td>{s.rate.toFixed(2)}</td>
            <td>{pct(s.errorRate)}</td>
            <td>{ms(s.p50)}</td>
            <td>{ms(s.p95)}</td>
            <td>{ms(s.p99)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Slos({ slos }: { slos: Slo[] }) {
  return (
    <table>
      <caption>Service level objectives</caption>
      <TableHead columns={['SLO', 'Objective', 'Availability', 'Error budget left', 'Burn rate']} />
      <tbody>
        {slos.map((s) => (
          <tr key={s.name}>
            <th scope="row">{s.name}</th>
            <td>{pct(s.objective)}</td>
            <td>{pct(s.availability)}</td>
            <td>
              <meter
                min={0}
                max={1}
                low={0.25}
                optimum={1}
                value={Math.max(0, s.error_budget_remaining)}
              >
                {pct(s.error_budget_remaining)}
              </meter>{' '}
              {pct(s.error_budget_remaining)}
            </td>
            <td>
              {Object.entries(s.burn_rate)
                .map(([w, r]) => `${w}: ${r.toFixed(2)}`)
                .join(', ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HealthPage() {
  const { data, error } = useLoad(async () => ({
    status: await settle(api<{ status: string; checks: Check[] }>('health/status')),
    summary: await settle(
      api<{ windows: { '1h': { routes: Record<string, Stats> } } }>('health/summary'),
    ),
    slos: await settle(api<{ slos: Slo[] }>('health/slos')),
  }));
  if (error) return <Alert message={error} />;
  if (!data) return <Loading what="health" />;
  return (
    <Page title="System health">
      {data.status.value && (
        <p>
          Overall:{' '}
          <span class={`badge ${data.status.value.status}`}>{data.status.value.status}</span>
        </p>
      )}
      {data.status.value && <Dependencies checks={data.status.value.checks} />}
      {data.summary.value && <Routes routes={data.summary.value.windows['1h'].routes} />}
      {data.slos.value && <Slos slos={data.slos.value.slos} />}
    </Page>
  );
}
