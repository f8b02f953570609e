import { useState } from 'preact/hooks';
import { tenantIdSchema } from '../../src/schemas/index.js';
import { api, type Session, validate } from '../api.js';
import { Alert, Page, TableHead } from '../components.js';
import { useLoad } from '../hooks.js';

interface Point {
  day: string;
  calls: number;
  totalTokens: number;
  costUsd: string;
}
interface ModelRow {
  model?: string;
  calls: number;
  totalTokens: number;
  costUsd: string;
}

/** Cost per day as SVG bars: sized by attributes, no inline styles (the CSP allows none). */
function Chart({ points }: { points: Point[] }) {
  const max = Math.max(...points.map((p) => Number(p.costUsd)), 1e-9);
  const width = 640;
  const height = 160;
  const bar = width / Math.max(points.length, 1);
  const total = points.reduce((sum, p) => sum + Number(p.costUsd), 0);
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} ${height + 20}`}
        role="img"
        aria-label={`Cost per day, ${points.length} days, total $${total.toFixed(6)}`}
        class="chart"
      >
        {points.map((p, i) => {
          const h = (Number(p.costUsd) / max) * height;
          return (
            <rect
              key={p.day}
              x={i * bar + 1}
              y={height - h}
              width={Math.max(bar - 2, 1)}
              height={h}
              class="bar"
            >
              <title>
                {p.day}: ${p.costUsd}, {p.calls} calls, {p.totalTokens} tokens
              </title>
            </rect>
          );
        })}
        <text x={0} y={height + 16} class="axis">
          {points[0]?.day}
        </text>
        <text x={width} y={height + 16} class="axis" text-anchor="end">
          {points.at(-1)?.day}
        </text>
      </svg>
      <figcaption>AI cost per day (USD)</figcaption>
    </figure>
  );
}

interface Limit {
  metric: string;
  period: string;
  scope: string;
  max: number;
  used: number;
  remaining: number;
  resetAt: string;
  maxUsd?: string;
  usedUsd?: string;
}

/** Alert state of a limit: the share used against the 80 % warning threshold. */
const stateOf = (l: Limit) =>
  l.used >= l.max ? 'exhausted' : l.used >= 0.8 * l.max ? 'warning' : 'ok';

function Budgets({ limits }: { limits: Limit[] }) {
  if (limits.length === 0) return <p>No budget applies to this tenant.</p>;
  return (
    <table>
      <caption>Budgets</caption>
      <TableHead columns={['Limit', 'Used', 'Max', 'State', 'Resets']} />
      <tbody>
        {limits.map((l) => (
          <tr key={`${l.metric}:${l.period}:${l.scope}`}>
            <th scope="row">
              {l.metric} per {l.period}
              {l.scope !== 'tenant' && ` (per ${l.scope})`}
            </th>
            <td>{l.usedUsd ?? l.used}</td>
            <td>{l.maxUsd ?? l.max}</td>
            <td>
              <span class={`badge ${stateOf(l)}`}>{stateOf(l)}</span>
            </td>
            <td>
              <time dateTime={l.resetAt}>{l.resetAt.replace('T', ' ').slice(0, 16)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Usage({ tenant }: { tenant: string }) {
  const q = tenant ? `?tenant=${encodeURIComponent(tenant)}` : '';
  const { data, error } = useLoad(
    async () => ({
      series: await api<{ points: Point[] }>(`usage/timeseries${q}`),
      usage: await api<{ byModel: ModelRow[]; totals: { costUsd: string } }>(`usage/usage${q}`),
      budget: await api<{ limits: Limit[] }>(`usage/budget${q}`),
    }),
    q,
  );
  if (error) return <Alert message={error} />;
  if (!data) return null;
  return (
    <>
      <Chart points={data.series.points} />
      <Budgets limits={data.budget.limits} />
      <table>
        <caption>By model (last 30 days)</caption>
        <TableHead columns={['Model', 'Calls', 'Tokens', 'Cost (USD)']} />
        <tbody>
          {data.usage.byModel.map((r) => (
            <tr key={r.model ?? '?'}>
              <th scope="row">{r.model ?? '—'}</th>
              <td>{r.calls}</td>
              <td>{r.totalTokens}</td>
              <td>{r.costUsd}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function UsagePage({ session }: { session: Session }) {
  const [draft, setDraft] = useState(session.tenant ?? '');
  const [tenant, setTenant] = useState(session.tenant ?? '');
  const [error, setError] = useState<string | undefined>(undefined);
  return (
    <Page title="AI usage">
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          try {
            setTenant(validate(tenantIdSchema, draft));
            setError(undefined);
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        <label>
          Tenant
          <input
            value={draft}
            readOnly={session.tenant !== null}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Show</button>
      </form>
      <Alert message={error} />
      {tenant && <Usage tenant={tenant} />}
    </Page>
  );
}
