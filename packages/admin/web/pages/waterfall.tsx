interface SpanNode {
  traceId: string;
  spanId: string;
  name: string;
  start: number;
  durationMs: number;
  status: 'ok' | 'error' | 'unset';
  children: SpanNode[];
}

function flatten(nodes: SpanNode[], depth = 0, into: { span: SpanNode; depth: number }[] = []) {
  for (const span of [...nodes].sort((a, b) => a.start - b.start)) {
    into.push({ span, depth });
    flatten(span.children, depth + 1, into);
  }
  return into;
}

const ROW = 22;
const LABEL = 220;
const WIDTH = 640;

/** One request's spans as a waterfall: indented by parent, placed and sized by time. */
export function Waterfall({ spans }: { spans: SpanNode[] }) {
  const rows = flatten(spans);
  if (rows.length === 0) return <p>No spans for this request (is tracing on?).</p>;
  const from = Math.min(...rows.map((r) => r.span.start));
  const to = Math.max(...rows.map((r) => r.span.start + r.span.durationMs));
  const scale = (WIDTH - LABEL - 60) / Math.max(to - from, 0.001);
  return (
    <svg
      class="waterfall"
      viewBox={`0 0 ${WIDTH} ${rows.length * ROW + 4}`}
      role="img"
      aria-label={`Waterfall of ${rows.length} spans over ${(to - from).toFixed(1)} ms`}
    >
      {rows.map(({ span, depth }, i) => {
        const x = LABEL + (span.start - from) * scale;
        const w = Math.max(span.durationMs * scale, 1);
        const y = i * ROW + 2;
        return (
          <g key={span.spanId} class={`span ${span.status}`}>
            <title>
              {span.name}: {span.durationMs.toFixed(2)} ms ({span.status})
            </title>
            <text x={4 + depth * 12} y={y + 15} class="label">
              {span.name.slice(0, 28)}
            </text>
            <rect x={x} y={y + 3} width={w} height={ROW - 8} class="bar" data-span={span.name} />
            <text x={x + w + 4} y={y + 15} class="axis">
              {span.durationMs.toFixed(1)} ms
            </text>
          </g>
        );
      })}
    </svg>
  );
}
