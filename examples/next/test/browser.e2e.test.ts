import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, stopAll } from '../../test-support/harness.js';
import { startNext } from './next-app.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`browser.e2e: skipped, ${CHROMIUM} is not installed`);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface SeenViolation {
  directive: string;
  blocked: string;
  disposition: string;
}

declare global {
  interface Window {
    __violations: SeenViolation[];
  }
}

describe.skipIf(!haveChromium)(`the nonce page in headless Chromium (${CHROMIUM})`, () => {
  let app: RunningApp;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    profile = await mkdtemp(path.join(tmpdir(), 'platform-chromium-'));
    [app, context] = await Promise.all([
      // report-uri only: Chromium does not upload report-to reports from http origins
      startNext({ PLATFORM_CSP_REPORT_TO: 'false' }),
      chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: FLAGS,
      }),
    ]);
    // Runs before the page's own scripts, outside its CSP (injected over CDP).
    await context.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__violations.push({
          directive: e.effectiveDirective,
          blocked: e.blockedURI,
          disposition: e.disposition,
        });
      });
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await stopAll();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const violationLines = () =>
    app
      .output()
      .split('\n')
      .filter((line) => line.includes('"csp violation"'));

  /** Loads `path`, checks the nonce CSP, hydration and the nonce'd inline script; returns the nonce. */
  async function loadAndHydrate(page: Page, pathname: string): Promise<string> {
    const response = await page.goto(`${app.url}${pathname}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeDefined();
    // every script element carries this response's nonce (the DOM hides it from attributes)
    const scriptNonces = await page.$$eval('script', (els) =>
      els.map((el) => (el as HTMLScriptElement).nonce),
    );
    expect(scriptNonces.length).toBeGreaterThan(1);
    const injected = pathname.includes('inject=1') ? 1 : 0;
    expect(scriptNonces.filter((n) => n === nonce)).toHaveLength(scriptNonces.length - injected);
    // hydrated: the client component's button works
    const button = page.getByTestId('hydration-check');
    await expect.poll(() => button.getAttribute('data-hydrated')).toBe('true');
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Clicked 1');
    expect(await page.evaluate(() => document.documentElement.dataset.nonced)).toBe('ran');
    return nonce as string;
  }

  it('hydrates with a fresh nonce per load and no CSP violation', async () => {
    const page = await context.newPage();
    const first = await loadAndHydrate(page, '/');
    expect(await page.evaluate(() => window.__violations)).toEqual([]);
    const second = await loadAndHydrate(page, '/');
    expect(await page.evaluate(() => window.__violations)).toEqual([]);
    expect(second).not.toBe(first);
    await page.close();
  });

  it('blocks an injected inline script and its report reaches the receiver', async () => {
    const page = await context.newPage();
    await loadAndHydrate(page, '/?inject=1');
    expect(await page.evaluate(() => document.documentElement.dataset.injected)).toBeUndefined();
    expect(await page.evaluate(() => window.__violations)).toEqual([
      { directive: 'script-src-elem', blocked: 'inline', disposition: 'enforce' },
    ]);
    await expect
      .poll(() => violationLines().filter((l) => l.includes('inject=1')).length, {
        timeout: 20_000,
        interval: 250,
      })
      .toBeGreaterThanOrEqual(1);
    const event = JSON.parse(violationLines().find((l) => l.includes('inject=1')) as string);
    expect(event).toMatchObject({
      blockedUri: 'inline',
      effectiveDirective: 'script-src-elem',
      disposition: 'enforce',
      format: 'csp-report',
    });
    expect(event.documentUri).toBe(`${app.url}/?inject=1`);
    // the clean loads of the previous test reported nothing
    expect(violationLines().filter((l) => !l.includes('inject=1'))).toEqual([]);
    await page.close();
  }, 40_000);
});
