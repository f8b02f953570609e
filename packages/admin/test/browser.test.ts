import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './browser/app.js';
import { launch, seriousA11y, shoot, watchCsp } from './browser/driver.js';

type App = Awaited<ReturnType<typeof startApp>>;

describe('the console in headless Chromium, over a real Express app', { timeout: 30_000 }, () => {
  let app: App;
  let context: BrowserContext;
  let page: Page;
  let closeBrowser: () => Promise<void>;
  let violations: string[];
  const timings: Record<string, number> = {};

  const signIn = async (who: string) => {
    await context.clearCookies();
    await context.addCookies([{ name: 'who', value: who, url: app.origin }]);
  };
  const checkout = async () =>
    ((await (await fetch(`${app.origin}/checkout`)).json()) as { checkout: string }).checkout;
  const open = async (hash: string, ready: string) => {
    await page.goto('about:blank');
    const started = performance.now();
    await page.goto(`${app.origin}/admin/#/${hash}`);
    await page.locator(ready).first().waitFor();
    timings[hash] = Math.round(performance.now() - started);
  };
  const accessible = async (name: string) => {
    await shoot(page, name);
    expect(await seriousA11y(page), name).toEqual([]);
  };

  beforeAll(async () => {
    app = await startApp();
    const browser = await launch();
    context = browser.context;
    closeBrowser = browser.close;
    violations = await watchCsp(context);
    page = await context.newPage();
  }, 60_000);
  afterAll(async () => {
    await closeBrowser?.();
    await app?.stop();
    console.log('page load (navigation to first content), ms:', timings);
  });

  it('lets an admin toggle a flag, and the gated route changes behaviour', async () => {
    await signIn('alice:admin');
    expect(await checkout()).toBe('old');
    await open('flags', '[data-flag-toggle="newCheckout"]');
    const toggle = page.locator('[data-flag-toggle="newCheckout"]');
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await checkout()).toBe('new');
    await accessible('flags-admin');
  });

  it('sets a tenant override through the form', async () => {
    const form = page.getByRole('form', { name: 'Tenant override for banner' });
    await form.getByLabel('Tenant').fill('acme');
    await form.getByLabel('Serves').selectOption('off');
    await form.getByRole('button', { name: 'Set override' }).click();
    await page
      .getByRole('list', { name: 'Tenant overrides of banner' })
      .getByText('acme: off')
      .waitFor();
    expect(app.flags.evaluate('banner', { tenantId: 'acme' }).value).toBe(false);
  });

  it('shows a readable error for an invalid rollout, validated in the browser', async () => {
    const row = page.getByRole('row', { name: /banner/ });
    await row.getByLabel('Rollout percentage of banner').fill('150');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => row.getByRole('alert').first().textContent())
      .toBe('percentage: must be 0 to 100');
  });

  it("shows a flag's history with its diff, and an admin reverts to a version", async () => {
    const toggle = page.locator('[data-flag-toggle="newCheckout"]');
    await toggle.click(); // v3: off
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click(); // v4: on
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'History of newCheckout' }).click();
    const history = page.getByRole('region', { name: 'History of newCheckout' });
    const v3 = history.getByRole('row', { name: /^v3 / });
    await v3.waitFor();
    expect(await v3.getByRole('cell').nth(1).textContent()).toBe('alice');
    expect(await v3.locator('ul.diff').textContent()).toContain('enabled: true → false');
    await accessible('flags-history');
    await v3.getByRole('button', { name: 'Revert to v3' }).click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await checkout()).toBe('old');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await checkout()).toBe('new');
  });

  it('changes a log level and resets it', async () => {
    await open('logging', 'text=payments');
    const row = page.getByRole('row', { name: /payments/ });
    await row.getByLabel('Level of payments').selectOption('debug');
    await row.getByRole('button', { name: 'Set', exact: true }).click();
    await expect.poll(() => app.log.level).toBe('debug');
    expect(app.log.isLevelEnabled('debug')).toBe(true);
    await page
      .getByRole('row', { name: /payments/ })
      .getByRole('cell', { name: 'debug', exact: true })
      .waitFor();
    await accessible('logging');
    await page
      .getByRole('row', { name: /payments/ })
      .getByRole('button', { name: 'Reset' })
      .click();
    await expect.poll(() => app.log.level).toBe('info');
    expect(app.log.isLevelEnabled('debug')).toBe(false);
    await fetch(`${app.origin}/checkout`, { headers: { 'x-request-id': 'e2e-checkout-1' } });
    await open('logging', 'text=Request inspector');
    await page.getByLabel('Request ID').fill('e2e-checkout-1');
    await page.getByRole('button', { name: 'Inspect' }).click();
    const timeline = page.getByRole('region', { name: 'Timeline of e2e-checkout-1' });
    await timeline.getByText('checkout served: new').waitFor();
    const waterfall = timeline.getByRole('img', { name: /Waterfall of \d+ spans/ });
    await waterfall.waitFor();
    expect(await waterfall.locator('rect[data-span="checkout.decide"]').count()).toBe(1);
    expect(await waterfall.locator('rect.bar').count()).toBeGreaterThanOrEqual(2);
    const traceLink = timeline.getByRole('link', { name: /^[0-9a-f]{32}$/ });
    expect(await traceLink.getAttribute('href')).toMatch(
      /^https:\/\/traces\.example\.com\/trace\/[0-9a-f]{32}$/,
    );
    await accessible('logging-inspector');
  });

  it('finds the changes in the audit log with the admin as actor, and exports CSV', async () => {
    await open('audit', 'form.filters');
    await page.getByLabel('Actor').fill('alice');
    await page.getByRole('button', { name: 'Search' }).click();
    const toggled = page.getByRole('row', { name: /admin\.flag\.toggle/ });
    await toggled.first().waitFor();
    expect(await toggled.first().locator('td.actor').textContent()).toBe('alice');
    await page
      .getByRole('row', { name: /admin\.log_level\.set/ })
      .first()
      .waitFor();
    await page
      .getByRole('row', { name: /admin\.flag\.revert/ })
      .first()
      .waitFor();
    await accessible('audit');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV' }).click(),
    ]);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect
      .poll(() => page.locator('output').textContent())
      .toMatch(/Chain of “default” intact: \d+ events checked/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toContain('action');
    expect(lines.some((l) => l.includes('admin.flag.toggle') && l.includes('alice'))).toBe(true);
  });

  it('shows health and AI usage', async () => {
    await open('health', 'table');
    await page.getByRole('cell', { name: 'healthy' }).first().waitFor();
    await page.getByRole('row', { name: /GET \/checkout/ }).waitFor();
    await accessible('health');
    for (let i = 0; i < 3; i++) await fetch(`${app.origin}/ai/acme`, { method: 'POST' });
    await app.control.flush();
    await open('usage', 'form');
    await page.getByLabel('Tenant').fill('acme');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('img', { name: /Cost per day/ }).waitFor();
    await page.getByRole('row', { name: /gpt-4o-mini 3 3750/ }).waitFor();
    const bars = await page
      .locator('svg.chart rect.bar')
      .evaluateAll((rects) =>
        rects.map((r) => Number(r.getAttribute('height'))).filter((h) => h > 0),
      );
    expect(bars).toHaveLength(1);
    const calls = page.getByRole('row', { name: /calls per day/ });
    expect(await calls.getByRole('cell').nth(0).textContent()).toBe('3');
    expect(await calls.getByRole('cell').nth(2).textContent()).toBe('exhausted');
    await accessible('usage');
  });

  it('shows a viewer no toggle, and a forged toggle call gets 403', async () => {
    await signIn('vera:viewer');
    await open('flags', 'table');
    expect(await page.locator('[data-flag-toggle]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await accessible('flags-viewer');
    const status = await page.evaluate(async () => {
      const session = (await (await fetch('api/session')).json()) as {
        csrf: { header: string; token: string };
      };
      const r = await fetch('api/flags/newCheckout/toggle', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [session.csrf.header]: session.csrf.token },
        body: JSON.stringify({ enabled: false }),
      });
      return r.status;
    });
    expect(status).toBe(403);
    expect(await checkout()).toBe('new');
  });

  it('reported no CSP violation on any page (and the watcher does see one)', async () => {
    expect(violations).toEqual([]);
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = 'https://example.invalid/x.png';
      img.alt = '';
      document.body.append(img);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations[0]).toMatch(/img-src/);
  });
});
