import { type Answer, emptyAnswer, type NeutralRequest, problemAnswer } from '@platform/core';
import { type Metric, Registry } from 'prom-client';

export const PROMETHEUS_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
export const OPENMETRICS_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;

// Empty registries used only as formatters: prom-client's registry renames counters when it
// renders OpenMetrics, so one registry cannot serve both formats to concurrent scrapes.
// (getMetricsAsString is public in prom-client's code, missing from its typings.)
interface Formatter {
  getMetricsAsString(metric: Formattable): Promise<string>;
}
type Formattable = object;

function formatter(openMetrics: boolean): Formatter {
  const registry = new Registry();
  if (openMetrics) registry.setContentType(OPENMETRICS_TYPE as never);
  return registry as unknown as Formatter;
}
const formatters = { prometheus: formatter(false), openmetrics: formatter(true) };

/** An OpenMetrics counter is named without `_total` (its samples carry the suffix). */
function openMetricsView(metric: Metric): Formattable {
  if ((metric as { type?: string }).type !== 'counter') return metric;
  return {
    get: async () => {
      const data = await metric.get();
      return { ...data, name: data.name.replace(/_total$/, '') };
    },
  };
}

/** The registry's metrics in the Prometheus text format 0.0.4, or OpenMetrics 1.0 (with exemplars). */
export async function render(registry: Registry, openMetrics: boolean): Promise<string> {
  const metrics = registry.getMetricsAsArray() as unknown as Metric[];
  if (!openMetrics) {
    const parts = await Promise.all(
      metrics.map((m) => formatters.prometheus.getMetricsAsString(m)),
    );
    return `${parts.join('\n\n')}\n`;
  }
  const parts = await Promise.all(
    metrics.map((m) => formatters.openmetrics.getMetricsAsString(openMetricsView(m))),
  );
  return `${parts.join('\n')}\n# EOF\n`;
}

/** True when the client asks for OpenMetrics (Prometheus does, with exemplar storage on). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept?.includes('application/openmetrics-text') ?? false;
}

/** Answers a scrape: GET or HEAD only, the format the Accept header asks for. */
export async function scrape(registry: Registry, req: NeutralRequest): Promise<Answer> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return emptyAnswer(405, { allow: 'GET, HEAD' });
  const open = wantsOpenMetrics(req.header('accept'));
  const headers = {
    'content-type': open ? OPENMETRICS_TYPE : PROMETHEUS_TYPE,
    'cache-control': 'no-store',
  };
  const body = await render(registry, open);
  return req.method === 'HEAD' ? { status: 200, headers } : { status: 200, headers, body };
}

/** What /metrics and the summary answer while metrics are switched off. */
export const switchedOff = (): Answer =>
  problemAnswer(404, {
    title: 'Not Found',
    detail: 'Metrics are switched off (option enabled: false or PLATFORM_METRICS=off).',
  });
