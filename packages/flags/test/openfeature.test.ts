import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlags } from '../src/client.js';
import { defineFlags } from '../src/define.js';
import { openFeatureProvider } from '../src/openfeature.js';
import { flagOperations } from '../src/operations.js';
import type { FlagStore } from '../src/store.js';
import { memoryStore } from '../src/stores/memory.js';
import { waitFor } from './support.js';

const definitions = defineFlags({
  beta: { type: 'boolean', default: false, kind: 'release', owner: 'growth' },
  theme: { type: 'string', default: 'light', variants: { light: 'light', dark: 'dark' } },
  limit: { type: 'number', default: 10, variants: { small: 10, big: 100 } },
  banner: {
    type: 'json',
    default: { text: 'hi' },
    variants: { hi: { text: 'hi' }, sale: { text: 'sale' } },
  },
});

const store: FlagStore = memoryStore({
  flags: [
    {
      key: 'beta',
      serve: { variant: 'off' },
      tenants: { acme: { serve: { variant: 'on' } } },
      targets: [{ variant: 'on', users: ['u-vip'] }],
    },
    { key: 'theme', serve: { variant: 'dark' } },
    { key: 'limit', serve: { variant: 'big', rollout: { percentage: 100 } } },
    { key: 'banner', serve: { variant: 'sale' } },
  ],
});
const flags = createFlags({ definitions, store, flushOnShutdown: false });
const provider = openFeatureProvider(flags);
const client = OpenFeature.getClient('flags-test');

beforeAll(async () => {
  let ready = false;
  OpenFeature.addHandler(ProviderEvents.Ready, () => {
    ready = true;
  });
  await OpenFeature.setProviderAndWait('flags-test', provider);
  expect(ready).toBe(true);
});
afterAll(async () => {
  await OpenFeature.close();
  await flags.close();
});

describe('OpenFeature provider through the real SDK', () => {
  it('resolves all four types with variants, reasons and metadata', async () => {
    expect(await client.getBooleanDetails('beta', true, { tenantId: 'acme' })).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: { kind: 'release', owner: 'growth', ruleId: 'tenant:acme', version: 1 },
    });
    expect(await client.getBooleanDetails('beta', true, { targetingKey: 'u-vip' })).toMatchObject({
      value: true,
      flagMetadata: { ruleId: 'user' },
    });
    expect(await client.getBooleanValue('beta', true)).toBe(false);
    expect(await client.getStringDetails('theme', 'x')).toMatchObject({
      value: 'dark',
      variant: 'dark',
      reason: 'STATIC',
    });
    expect(await client.getNumberDetails('limit', 0, { targetingKey: 'u1' })).toMatchObject({
      value: 100,
      reason: 'SPLIT',
    });
    expect(await client.getObjectDetails('banner', {})).toMatchObject({
      value: { text: 'sale' },
      variant: 'sale',
    });
  });

  it('returns the caller default with FLAG_NOT_FOUND and TYPE_MISMATCH', async () => {
    expect(await client.getBooleanDetails('missing', true)).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(await client.getNumberDetails('theme', 7)).toMatchObject({
      value: 7,
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
    });
    expect(await client.getStringDetails('banner', 'x')).toMatchObject({
      value: 'x',
      errorCode: 'TYPE_MISMATCH',
    });
  });

  it('emits CONFIGURATION_CHANGED when the store changes, and serves the new value', async () => {
    let changed = 0;
    const handler = () => changed++;
    client.addHandler(ProviderEvents.ConfigurationChanged, handler);
    await flagOperations(flags).toggle('theme', false, 'ops');
    await waitFor(() => changed > 0, 1_000);
    expect(await client.getStringDetails('theme', 'x')).toMatchObject({
      value: 'light',
      reason: 'DISABLED',
    });
    client.removeHandler(ProviderEvents.ConfigurationChanged, handler);
  });

  it('track() feeds the analytics', async () => {
    client.track('checkout-completed', { tenantId: 'acme' }, { value: 42 });
    await flags.flushAnalytics();
    const rows = await store.evaluations!();
    expect(rows.find((r) => r.flag === 'checkout-completed')).toMatchObject({
      variant: 'track',
      tenant: 'acme',
      count: 1,
    });
    expect(rows.find((r) => r.flag === 'beta' && r.tenant === 'acme')?.count).toBeGreaterThan(0);
  });
});
