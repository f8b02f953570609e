import { counter, gauge, histogram, setMetricsBackend } from '@platform/core';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from '../src/exposition.js';
import { PromRegistry } from '../src/registry.js';

afterEach(() => setMetricsBackend(undefined));

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

describe('PromRegistry as core’s metrics backend', () => {
  it('records counters, histograms (with exemplars in OpenMetrics only) and collected gauges', async () => {
    const backend = new PromRegistry({ defaultMetrics: false });
    setMetricsBackend(backend);
    counter({ name: 'test_reg_things_total', help: 'Things.', labelNames: ['kind'] }).inc(
      { kind: 'a' },
      2,
    );
    histogram({ name: 'test_reg_wait_seconds', help: 'Waits.', labelNames: ['q'] }).observe(
      { q: 'x' },
      0.02,
      { traceId: TRACE, spanId: SPAN },
    );
    const remove = gauge({ name: 'test_reg_depth', help: 'Depth.' }).collect(() => 7);
    const prom = await render(backend.registry, false);
    expect(prom).toContain('test_reg_things_total{kind="a"} 2');
    expect(prom).toContain('test_reg_wait_seconds_bucket{le="0.025",q="x"} 1');
    expect(prom).not.toContain('trace_id');
    expect(prom).toContain('test_reg_depth 7');
    const open = await render(backend.registry, true);
    expect(open).toContain('# TYPE test_reg_things counter');
    expect(open).toContain('test_reg_things_total{kind="a"} 2');
    expect(open).toMatch(
      new RegExp(
        `test_reg_wait_seconds_bucket\\{le="0.025",q="x"\\} 1 # \\{trace_id="${TRACE}",span_id="${SPAN}"\\} 0.02 `,
      ),
    );
    expect(open.endsWith('# EOF\n')).toBe(true);
    remove();
    // the Prometheus rendering after an OpenMetrics one still names the counter with _total
    expect(await render(backend.registry, false)).toContain('test_reg_things_total{kind="a"} 2');
  });

  it('never throws into the caller: bad values, unknown labels, a bad exemplar', async () => {
    const backend = new PromRegistry({ defaultMetrics: false });
    setMetricsBackend(backend);
    const c = counter({ name: 'test_reg_safe_total', help: 'Safe.', labelNames: ['a'] });
    const h = histogram({ name: 'test_reg_safe_seconds', help: 'Safe.' });
    expect(() => {
      c.inc({ a: 'x', b: 'not declared' } as never);
      c.inc({ a: 'x' }, -1);
      c.inc({ a: 'x' }, Number.NaN);
      h.observe(undefined, Number.POSITIVE_INFINITY);
      h.observe(undefined, 0.1, { traceId: 'x'.repeat(500) });
    }).not.toThrow();
    const text = await render(backend.registry, true);
    expect(text).toContain('test_reg_safe_total{a="x"} 1');
    expect(text).toContain('test_reg_safe_seconds_count 1');
    expect(text).not.toContain('xxxx');
  });
});

describe('the cells behind counters and histograms', () => {
  it('renders cumulative buckets, +Inf, sum and count per series, in both formats and as JSON', async () => {
    const backend = new PromRegistry({ defaultMetrics: false });
    setMetricsBackend(backend);
    const h = histogram({
      name: 'test_cell_seconds',
      help: 'Cells.',
      labelNames: ['route', 'status'],
      buckets: [0.1, 1],
    });
    for (const v of [0.05, 0.1, 0.5, 3, 7]) h.observe({ route: '/a', status: 200 }, v);
    h.observe({ route: '/b', status: 503 }, 0.2);
    const text = await render(backend.registry, false);
    expect(text).toContain('test_cell_seconds_bucket{le="0.1",route="/a",status="200"} 2');
    expect(text).toContain('test_cell_seconds_bucket{le="1",route="/a",status="200"} 3');
    expect(text).toContain('test_cell_seconds_bucket{le="+Inf",route="/a",status="200"} 5');
    expect(text).toContain('test_cell_seconds_sum{route="/a",status="200"} 10.65');
    expect(text).toContain('test_cell_seconds_count{route="/a",status="200"} 5');
    expect(text).toContain('test_cell_seconds_bucket{le="0.1",route="/b",status="503"} 0');
    expect(await render(backend.registry, true)).toContain(
      'test_cell_seconds_count{route="/b",status="503"} 1',
    );
    const json = await backend.registry.getMetricsAsJSON();
    const cell = json.find((m) => m.name === 'test_cell_seconds');
    expect(cell?.values).toContainEqual(
      expect.objectContaining({ labels: { le: '+Inf', route: '/b', status: '503' }, value: 1 }),
    );
    backend.registry.resetMetrics();
    expect(await render(backend.registry, false)).not.toContain('test_cell_seconds_count');
  });

  it('leaves out prom-client’s three gauges named *_total unless asked for its names', async () => {
    const lint = /^# TYPE nodejs_active_(handles|requests|resources)_total gauge$/m;
    const clean = await render(new PromRegistry().registry, false);
    expect(clean).toMatch(/^# TYPE nodejs_active_handles gauge$/m);
    expect(clean).not.toMatch(lint);
    const named = await render(
      new PromRegistry({ defaultMetrics: 'prom-client-names' }).registry,
      false,
    );
    expect(named).toMatch(lint);
  });
});

describe('cardinality caps', () => {
  it('keeps the first N tenants, records the rest as other; 10,000 tenants x 1,000 routes stay bounded', async () => {
    const backend = new PromRegistry({ defaultMetrics: false, tenantsMax: 100, maxSeries: 5_000 });
    setMetricsBackend(backend);
    const h = histogram({
      name: 'test_cap_duration_seconds',
      help: 'Capped.',
      labelNames: ['route', 'tenant'],
    });
    const c = counter({
      name: 'test_cap_requests_total',
      help: 'Capped.',
      labelNames: ['route', 'tenant'],
    });
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let recorded = 0;
    for (let t = 0; t < 10_000; t++) {
      for (let r = 0; r < 10; r++) {
        const labels = { route: `/r${(t * 7 + r * 101) % 1000}/:id`, tenant: `tenant-${t}` };
        h.observe(labels, 0.01 * (r + 1));
        c.inc(labels);
        recorded++;
      }
    }
    const counts = backend.seriesCounts();
    expect(backend.tenants.size).toBe(100);
    expect(counts.test_cap_duration_seconds).toBeLessThanOrEqual(5_000);
    expect(counts.test_cap_requests_total).toBeLessThanOrEqual(5_000);
    const text = await render(backend.registry, false);
    const tenants = new Set([...text.matchAll(/tenant="([^"]+)"/g)].map((m) => m[1]));
    expect(tenants.size).toBeLessThanOrEqual(101);
    expect(tenants.has('other')).toBe(true);
    expect(tenants.has('tenant-0')).toBe(true);
    expect(tenants.has('tenant-100')).toBe(false);
    // nothing lost: every request is counted once, in its own series or in other
    const total = [...text.matchAll(/^test_cap_requests_total\{[^}]*\} (\d+)$/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(total).toBe(recorded);
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(150 * 1024 * 1024);
  });
});
