import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport, memoryStore, reportToCsv, type UsageRecord } from '../src/index.js';
import { reportToPdf } from '../src/pdf.js';
import { readPdf } from './pdf-reader.js';

const ledger = memoryStore();

function rec(i: number, over: Partial<UsageRecord>): UsageRecord {
  return {
    id: `r${i}`,
    at: Date.parse(`${over.day ?? '2026-11-02'}T10:00:00Z`),
    day: '2026-11-02',
    tenant: 'acme',
    provider: 'openai',
    model: 'gpt-4o-mini',
    usage: {
      inputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 50,
      reasoningTokens: 0,
    },
    totalTokens: 150,
    costNanoUsd: 45_000n,
    priceVersion: 'v',
    estimated: false,
    outcome: 'ok',
    ...over,
  };
}

beforeAll(async () => {
  const days = ['2026-11-01', '2026-11-02', '2026-11-08', '2026-11-09', '2026-11-30', '2026-12-01'];
  let i = 0;
  const batch: UsageRecord[] = [];
  for (const day of days) {
    batch.push(rec(i++, { day, user: 'alice' }));
    batch.push(
      rec(i++, {
        day,
        user: 'bob',
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        costNanoUsd: 1_234_567_891n,
      }),
    );
    batch.push(rec(i++, { day, tenant: 'globex', user: 'carol', costNanoUsd: 7n }));
  }
  await ledger.record(batch);
});

describe('reports', () => {
  it('daily, weekly (ISO weeks from Monday) and monthly rows per tenant, user and model', async () => {
    const daily = await buildReport(ledger, {
      tenant: 'acme',
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(daily.rows).toHaveLength(10);
    expect(daily.rows[0]).toMatchObject({
      period: '2026-11-01',
      tenant: 'acme',
      user: 'alice',
      model: 'gpt-4o-mini',
      calls: 1,
      costNanoUsd: '45000',
    });
    const weekly = await buildReport(ledger, {
      tenant: 'acme',
      from: '2026-11-01',
      to: '2026-11-30',
      granularity: 'week',
      groupBy: [],
    });
    expect(weekly.rows.map((r) => [r.period, r.calls])).toEqual([
      ['2026-10-26', 2],
      ['2026-11-02', 4],
      ['2026-11-09', 2],
      ['2026-11-30', 2],
    ]);
    const monthly = await buildReport(ledger, {
      from: '2026-11-01',
      to: '2026-12-31',
      granularity: 'month',
      groupBy: ['tenant'],
    });
    expect(monthly.rows.map((r) => [r.period, r.tenant, r.calls, r.costNanoUsd])).toEqual([
      ['2026-11', 'acme', 10, String(5n * 45_000n + 5n * 1_234_567_891n)],
      ['2026-11', 'globex', 5, '35'],
      ['2026-12', 'acme', 2, String(45_000n + 1_234_567_891n)],
      ['2026-12', 'globex', 1, '7'],
    ]);
    expect(monthly.totals.costNanoUsd).toBe(String(6n * 45_000n + 6n * 1_234_567_891n + 42n));
    expect(monthly.totals.costUsd).toBe('7.407677');
  });

  it('exports CSV with a totals line and defused formulas', async () => {
    await ledger.record([rec(999, { day: '2026-10-15', tenant: 'evil', user: '=HYPERLINK("x")' })]);
    const report = await buildReport(ledger, {
      tenant: 'evil',
      from: '2026-10-01',
      to: '2026-10-31',
    });
    const csv = reportToCsv(report);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'period,tenant,user,model,calls,inputTokens,cacheReadTokens,cacheWriteTokens,outputTokens,reasoningTokens,totalTokens,costNanoUsd,costUsd',
    );
    expect(lines[1]).toBe(
      `2026-10-15,evil,"'=HYPERLINK(""x"")",gpt-4o-mini,1,100,0,0,50,0,150,45000,0.000045`,
    );
    expect(lines[2]).toBe('TOTAL,,,,1,100,0,0,50,0,150,45000,0.000045');
  });

  it('renders a real PDF: pdf.js draws ink and finds the totals', async () => {
    const report = await buildReport(ledger, { from: '2026-11-01', to: '2026-11-30' });
    const pdf = await reportToPdf(report, 'AI usage, November');
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    const read = await readPdf(pdf);
    const { width, ink } = await read.ink(1, 40);
    expect(width).toBeGreaterThan(100);
    expect(ink).toBeGreaterThan(0.005);
    const text = await read.text(1);
    expect(text).toContain('AI usage, November');
    expect(text).toContain('2026-11-01 to 2026-11-30');
    expect(text).toMatch(
      new RegExp(
        `Total\\s+${report.totals.calls}\\s+${report.totals.totalTokens}\\s+${report.totals.costUsd.replace('.', '\\.')}`,
      ),
    );
    expect(report.totals.costUsd).toBe('6.173064');
  });

  it('paginates long reports', async () => {
    const many = memoryStore();
    await many.record(
      Array.from({ length: 120 }, (_, i) => rec(i, { user: `user-${String(i).padStart(3, '0')}` })),
    );
    const report = await buildReport(many, { from: '2026-11-01', to: '2026-11-30' });
    const read = await readPdf(await reportToPdf(report));
    expect(read.pages).toBeGreaterThan(1);
    const text = (
      await Promise.all(Array.from({ length: read.pages }, (_, i) => read.text(i + 1)))
    ).join('\n');
    expect(text).toContain('user-119');
    expect(text).toMatch(/Total\s+120\s+18000\s+0\.005400/);
  });
});
