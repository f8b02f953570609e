import express from 'express';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../src/express.js';
import type { PresetName } from '../src/index.js';
import { listen, securityHeadersOf } from './helpers.js';

type Csp = Map<string, string[]>;

function parseCsp(value: string): Csp {
  return new Map(
    value
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

/** The list a browser would use for `name`, following CSP's fallback chain. */
function effective(csp: Csp, name: string): string[] | undefined {
  const chain: Record<string, string[]> = {
    'script-src-attr': ['script-src', 'default-src'],
    'script-src-elem': ['script-src', 'default-src'],
    'style-src-attr': ['style-src', 'default-src'],
    'style-src-elem': ['style-src', 'default-src'],
  };
  const fallbacks = chain[name] ?? (name.endsWith('-src') ? ['default-src'] : []);
  for (const candidate of [name, ...fallbacks]) {
    const list = csp.get(candidate);
    if (list) return list;
  }
  return undefined;
}

/** Is every source ours allows also allowed by theirs? */
function narrower(ours: string[], theirs: string[]): boolean {
  const anchored = ours.some((s) => /^'(nonce|sha(256|384|512))-/.test(s));
  return ours.every(
    (s) =>
      s === "'none'" ||
      theirs.includes(s) ||
      // A per-response nonce or a hash admits only the app's own marked scripts; injected
      // markup cannot carry them. 'strict-dynamic' only extends trust from those scripts.
      /^'(nonce|sha(256|384|512))-/.test(s) ||
      (s === "'strict-dynamic'" && anchored) ||
      (theirs.includes('https:') && s.startsWith('https://')),
  );
}

function cspAtLeastAsStrict(ours: string, theirs: string): string[] {
  const o = parseCsp(ours);
  const problems: string[] = [];
  for (const [name, sources] of parseCsp(theirs)) {
    const mine = effective(o, name);
    if (!mine) problems.push(`${name} missing`);
    else if (sources.length === 0 && mine.length !== 0) problems.push(`${name} differs`);
    else if (!narrower(mine, sources))
      problems.push(`${name}: ${mine.join(' ')} vs ${sources.join(' ')}`);
  }
  return problems;
}

const rank = (order: string[]) => (ours: string, theirs: string) =>
  order.indexOf(ours.split(',').at(-1)?.trim() ?? '') >= order.indexOf(theirs);

function hstsAtLeastAsStrict(ours: string, theirs: string): boolean {
  const maxAge = (v: string) => Number(/max-age=(\d+)/.exec(v)?.[1] ?? -1);
  const has = (v: string, flag: string) => v.toLowerCase().includes(flag.toLowerCase());
  return (
    maxAge(ours) >= maxAge(theirs) &&
    ['includeSubDomains', 'preload'].every((f) => !has(theirs, f) || has(ours, f))
  );
}

const STRICTER: Record<string, (ours: string, theirs: string) => boolean> = {
  'content-security-policy': (o, t) => cspAtLeastAsStrict(o, t).length === 0,
  'cross-origin-opener-policy': rank(['unsafe-none', 'same-origin-allow-popups', 'same-origin']),
  'cross-origin-resource-policy': rank(['cross-origin', 'same-site', 'same-origin']),
  'cross-origin-embedder-policy': rank(['unsafe-none', 'credentialless', 'require-corp']),
  'referrer-policy': rank([
    'unsafe-url',
    'no-referrer-when-downgrade',
    'origin-when-cross-origin',
    'origin',
    'strict-origin-when-cross-origin',
    'strict-origin',
    'same-origin',
    'no-referrer',
  ]),
  'strict-transport-security': hstsAtLeastAsStrict,
  'x-frame-options': rank(['SAMEORIGIN', 'DENY']),
};

describe.each<PresetName>(['html', 'api'])('%s preset against helmet 8 defaults', (preset) => {
  const servers: Record<string, Awaited<ReturnType<typeof listen>>> = {};
  let theirs: Record<string, string>;
  let ours: Record<string, string>;

  beforeAll(async () => {
    const withHelmet = express().use(helmet());
    const withOurs = express().use(securityHeaders({ preset }));
    for (const app of [withHelmet, withOurs]) app.get('/', (_req, res) => res.send('ok'));
    servers.helmet = await listen(withHelmet);
    servers.ours = await listen(withOurs);
    theirs = securityHeadersOf((await fetch(`${servers.helmet.url}/`)).headers);
    ours = securityHeadersOf((await fetch(`${servers.ours.url}/`)).headers);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  it('compares all of helmet’s headers', () => {
    expect(Object.keys(theirs)).toHaveLength(12);
    expect(theirs['x-powered-by']).toBeUndefined();
  });

  it('sends every header helmet sends, at least as strict', () => {
    for (const [name, value] of Object.entries(theirs)) {
      const mine = ours[name];
      expect(mine, `${name} is missing`).toBeDefined();
      const stricter = STRICTER[name] ?? ((o: string, t: string) => o === t);
      expect(stricter(mine as string, value), `${name}: ours "${mine}", helmet "${value}"`).toBe(
        true,
      );
    }
  });

  it('has a CSP no broader than helmet’s, directive by directive', () => {
    expect(
      cspAtLeastAsStrict(
        ours['content-security-policy'] ?? '',
        theirs['content-security-policy'] ?? '',
      ),
    ).toEqual([]);
  });

  it('also removes X-Powered-By and adds Permissions-Policy', () => {
    expect(ours['x-powered-by']).toBeUndefined();
    expect(ours['permissions-policy']).toContain('camera=()');
  });
});
