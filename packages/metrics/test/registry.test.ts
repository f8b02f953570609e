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
