import { useState } from 'preact/hooks';
import { api, messageOf } from '../api.js';
import { Alert, TableHead } from '../components.js';
import { useLoad } from '../hooks.js';
import { Waterfall } from './waterfall.js';

interface LogRecord {
  time?: string | number;
  level?: string | number;
  msg?: string;
  module?: string;
  requestId?: string;
}
interface Timeline {
  requestId?: string;
  traceIds: string[];
  logs: LogRecord[];
  spans: Parameters<typeof Waterfall>[0]['spans'];
}

/** The trace ids, linked to the host's trace viewer when it configured one. */
function Traces({ ids, url }: { ids: string[]; url: string | null }) {
  if (ids.length === 0) return null;
  return (
    <p>
      Trace{' '}
      {ids.map((id) =>
        url ? (
          <a key={id} href={url.replace('{traceId}', encodeURIComponent(id))} rel="noreferrer">
            <code>{id}</code>
          </a>
        ) : (
          <code key={id}>{id}</code>
        ),
      )}
    </p>
  );
}

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const levelOf = (l: LogRecord['level']) =>
  typeof l === 'number' ? (LEVELS[l] ?? String(l)) : (l ?? '');
const timeOf = (t: LogRecord['time']) =>
  t === undefined ? '' : new Date(t).toISOString().replace('T', ' ').slice(11, 23);

function Lines({ logs, pick }: { logs: LogRecord[]; pick?: (id: string) => void }) {
  if (logs.length === 0) return <p>No log lines.</p>;
  return (
    <table>
      <TableHead columns={['Time', 'Level', 'Module', 'Request', 'Message']} />
      <tbody>
        {logs.map((l, i) => (
          <tr key={i}>
            <td>{timeOf(l.time)}</td>
            <td>{levelOf(l.level)}</td>
            <td>{l.module ?? ''}</td>
            <td>
              {l.requestId && pick ? (
                <button type="button" onClick={() => pick(l.requestId as string)}>
                  {l.requestId}
                </button>
              ) : (
                (l.requestId ?? '')
              )}
            </td>
            <th scope="row">{l.msg ?? ''}</th>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The development inspector: recent log lines, and everything one request logged. */
export function Inspector({ traceUrl }: { traceUrl: string | null }) {
  const recent = useLoad(() => api<{ logs: LogRecord[] }>('inspector/recent?limit=50'));
  const [id, setId] = useState('');
  const [timeline, setTimeline] = useState<Timeline | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const inspect = async (requestId: string) => {
    setId(requestId);
    try {
      setTimeline(await api<Timeline>(`inspector/requests/${encodeURIComponent(requestId)}`));
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <section aria-labelledby="inspector-title">
      <h2 id="inspector-title">Request inspector</h2>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          inspect(id.trim());
        }}
      >
        <label>
          Request ID
          <input value={id} onInput={(e) => setId(e.currentTarget.value)} name="requestId" />
        </label>
        <button type="submit">Inspect</button>
      </form>
      <Alert message={error ?? recent.error} />
      {timeline && (
        <section aria-label={`Timeline of ${timeline.requestId ?? id}`}>
          <h3>Timeline of {timeline.requestId ?? id}</h3>
          <Traces ids={timeline.traceIds} url={traceUrl} />
          <Waterfall spans={timeline.spans} />
          <Lines logs={timeline.logs} />
        </section>
      )}
      <h3>Recent log lines</h3>
      {recent.data && <Lines logs={recent.data.logs.slice().reverse()} pick={inspect} />}
    </section>
  );
}
