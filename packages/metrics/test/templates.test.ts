import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { prometheusTool } from '../../../test/support/prometheus.js';
import { metricNames } from './promql.js';

const TEMPLATES = path.join(import.meta.dirname, '..', 'templates');
const run = promisify(execFile);

/** The agreed metric names (see the README's list); histograms add _bucket, _count and _sum. */
const AGREED = new Set([
  'http_server_request_duration_seconds',
  'http_server_requests_total',
  'http_server_active_requests',
  'platform_errors_total',
  'platform_ratelimit_decisions_total',
  'platform_ratelimit_store_duration_seconds',
  'platform_audit_queue_depth',
  'platform_audit_batches_written_total',
  'platform_audit_events_dropped_total',
  'platform_audit_events_spilled_total',
  'platform_audit_verify_failures_total',
  'platform_audit_table_rows',
  'platform_cost_spend_usd_total',
  'platform_cost_tokens_total',
  'platform_cost_budget_utilization_ratio',
  'platform_cost_reservations_refunded_total',
  'platform_cost_alerts_total',
  'platform_flags_evaluations_total',
  'platform_flags_store_staleness_seconds',
  'platform_log_lines_total',
  'platform_spans_queue_depth',
  'platform_spans_exported_total',
  'platform_db_query_duration_seconds',
  'platform_health_check_status',
  'platform_health_check_duration_seconds',
  'platform_slo_objective_ratio',
  'platform_slo_error_budget_remaining_ratio',
  'platform_slo_burn_rate',
  'platform_slo_availability_ratio',
]);

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}
interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}

const rulesText = await readFile(path.join(TEMPLATES, 'prometheus-alerts.yml'), 'utf8');
const rules = (parse(rulesText) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap(
  (g) => g.rules,
);
const dashboard = JSON.parse(
  await readFile(path.join(TEMPLATES, 'grafana-dashboard.json'), 'utf8'),
) as {
  panels: Panel[];
  templating: { list: Array<{ name: string; query: unknown }> };
};
const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
const panelQueries = dashboard.panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr })),
);
const variableQueries = dashboard.templating.list.flatMap((v) =>
  typeof v.query === 'object' && v.query !== null
    ? [{ where: `$${v.name}`, expr: (v.query as { query: string }).query }]
    : [],
);

/** Every name in `expr` that is neither agreed (with a histogram suffix) nor recorded by the rules. */
function unknownNames(expr: string): string[] {
  return metricNames(expr).filter(
    (name) =>
      !AGREED.has(name) &&
      !AGREED.has(name.replace(/_(bucket|count|sum)$/, '')) &&
      !recorded.has(name),
  );
}

describe('shipped templates', () => {
  it('reads metric names out of PromQL (the checker itself)', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (job, le) (rate(http_server_request_duration_seconds_bucket{job=~"$job", x="a{b}"}[$__rate_interval]))) > 0.2 and on (job) foo_total offset 5m',
      ).sort(),
    ).toEqual(['foo_total', 'http_server_request_duration_seconds_bucket']);
    expect(metricNames('label_values(http_server_requests_total{job=~"$job"}, tenant)')).toEqual([
      'http_server_requests_total',
    ]);
    expect(
      unknownNames(
        'sum(rate(http_requests_total[5m])) / sum(rate(http_server_requests_total[5m]))',
      ),
    ).toEqual(['http_requests_total']);
    expect(unknownNames('platform_slo_burn_rate_seconds > 1')).toEqual([
      'platform_slo_burn_rate_seconds',
    ]);
  });

  it('the dashboard queries only agreed metric names, and covers every area it promises', () => {
    const queries = [...panelQueries, ...variableQueries];
    expect(panelQueries.length).toBeGreaterThanOrEqual(25);
    const unknown = queries.flatMap((q) =>
      unknownNames(q.expr).map((name) => `${q.where}: ${name}`),
    );
    expect(unknown).toEqual([]);
    const used = new Set(queries.flatMap((q) => metricNames(q.expr)));
    for (const name of [
      'http_server_requests_total',
      'http_server_request_duration_seconds_bucket',
      'platform_slo_burn_rate',
      'platform_slo_error_budget_remaining_ratio',
      'platform_errors_total',
      'platform_ratelimit_decisions_total',
      'platform_cost_budget_utilization_ratio',
      'platform_audit_queue_depth',
    ]) {
      expect(used, name).toContain(name);
    }
    expect(panelQueries.some((q) => q.expr.includes('by (tenant)'))).toBe(true);
    expect(panelQueries.some((q) => q.expr.includes('by (http_route)'))).toBe(true);
  });

  it('the alert rules query only agreed metric names and their own recordings', () => {
    expect(rules.length).toBeGreaterThanOrEqual(20);
    const unknown = rules.flatMap((r) =>
      unknownNames(r.expr).map((name) => `${r.alert ?? r.record}: ${name}`),
    );
    expect(unknown).toEqual([]);
    const alerts = new Set(rules.flatMap((r) => (r.alert ? [r.alert] : [])));
    for (const name of [
      'PlatformErrorBudgetBurnFast',
      'PlatformErrorBudgetBurnSlow',
      'PlatformSLOBurnRateHigh',
      'PlatformErrorSpike',
      'PlatformLatencyP95High',
      'PlatformSLOErrorBudgetHalfSpent',
      'PlatformSLOErrorBudgetMostlySpent',
      'PlatformSLOErrorBudgetExhausted',
      'PlatformCostBudgetHalfUsed',
      'PlatformCostBudgetMostlyUsed',
      'PlatformCostBudgetExhausted',
    ]) {
      expect(alerts, name).toContain(name);
    }
  });

  const promtool = prometheusTool('promtool');

  it.skipIf(promtool.skip)(
    `promtool check rules passes on the rules and on the dashboard's queries${promtool.why}`,
    async () => {
      const bin = promtool.require();
      const dir = await mkdtemp(path.join(tmpdir(), 'platform-templates-'));
      try {
        const out = await run(bin, [
          'check',
          'rules',
          path.join(TEMPLATES, 'prometheus-alerts.yml'),
        ]);
        expect(out.stdout).toMatch(/SUCCESS: \d+ rules found/);
        // the dashboard's queries as recording rules, Grafana's variables filled in: promtool parses each
        const asRules = {
          groups: [
            {
              name: 'dashboard',
              rules: panelQueries.map((q, i) => ({
                record: `dashboard:query_${i}`,
                expr: q.expr.replaceAll('$__rate_interval', '5m'),
              })),
            },
          ],
        };
        const file = path.join(dir, 'dashboard-rules.yml');
        await writeFile(file, stringify(asRules));
        const checked = await run(bin, ['check', 'rules', file]);
        expect(checked.stdout).toContain(`SUCCESS: ${panelQueries.length} rules found`);
        // and it does reject a broken query, so the check above means something
        await writeFile(
          file,
          stringify({
            groups: [{ name: 'bad', rules: [{ record: 'x:y', expr: 'sum(rate(x[5m])' }] }],
          }),
        );
        await expect(run(bin, ['check', 'rules', file])).rejects.toThrow();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
