import { GrowthBook } from '@growthbook/growthbook';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { createFlags, defineFlags, type Flags, memoryStore, percentBucket } from '@platform/flags';
import { openFeatureProvider } from '@platform/flags/openfeature';
import { InMemStorageProvider, Unleash } from 'unleash-client';
import { defineMicroSuite } from '../micro.js';

// One context for every library: a matching rule (plan = pro), then a 50% rollout on userId.
const USER = 'user-123';
const ctx = { userId: USER, plan: 'pro' };

const definitions = defineFlags({
  plain: { type: 'boolean', default: false },
  rollout: { type: 'boolean', default: false },
});

async function ours(): Promise<Flags<typeof definitions.definitions>> {
  const flags = createFlags({
    definitions,
    store: memoryStore({
      flags: [
        { key: 'plain', serve: { variant: 'on' } },
        {
          key: 'rollout',
          serve: { variant: 'off' },
          rules: [
            {
              id: 'pro-half',
              conditions: [{ attribute: 'plan', operator: 'eq', values: ['pro'] }],
              serve: { variant: 'on', rollout: { percentage: 50 } },
            },
          ],
        },
      ],
    }),
    flushOnShutdown: false,
  });
  await flags.ready();
  return flags;
}

async function unleash(): Promise<Unleash> {
  const strategy = (constraints: unknown[], rollout: string) => ({
    name: 'flexibleRollout',
    parameters: { rollout, stickiness: 'userId', groupId: 'rollout' },
    constraints,
  });
  const client = new Unleash({
    // offline: a closed loopback port, no metrics, features from bootstrap only
    url: 'http://127.0.0.1:9/api/',
    appName: 'bench',
    disableMetrics: true,
    refreshInterval: 0,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: {
      data: [
        {
          name: 'plain',
          enabled: true,
          strategies: [{ name: 'default', parameters: {}, constraints: [] }],
        },
        {
          name: 'rollout',
          enabled: true,
          strategies: [strategy([{ contextName: 'plan', operator: 'IN', values: ['pro'] }], '50')],
        },
      ] as never,
    },
  });
  client.on('error', () => {});
  client.on('warn', () => {});
  await new Promise<void>((resolve) => {
    if (client.isSynchronized()) resolve();
    client.once('ready', () => resolve());
    client.once('synchronized', () => resolve());
    setTimeout(resolve, 2_000).unref();
  });
  return client;
}

function growthbook(): GrowthBook {
  return new GrowthBook({
    attributes: { id: USER, plan: 'pro' },
    features: {
      plain: { defaultValue: true },
      rollout: {
        defaultValue: false,
        rules: [{ condition: { plan: 'pro' }, force: true, coverage: 0.5, hashAttribute: 'id' }],
      },
    },
  });
}

async function openFeatureInMemory(domain: string) {
  const provider = new InMemoryProvider({
    plain: { variants: { on: true, off: false }, defaultVariant: 'on', disabled: false },
    rollout: {
      variants: { on: true, off: false },
      defaultVariant: 'off',
      disabled: false,
      contextEvaluator: (c) =>
        c.plan === 'pro' && percentBucket('rollout', String(c.targetingKey)) <= 50 ? 'on' : 'off',
    },
  });
  await OpenFeature.setProviderAndWait(domain, provider);
  return OpenFeature.getClient(domain);
}

const ofCtx = { targetingKey: USER, plan: 'pro' };
let oursFlags: Awaited<ReturnType<typeof ours>> | undefined;
const sharedOurs = async () => {
  oursFlags ??= await ours();
  return oursFlags;
};
let unleashClient: Unleash | undefined;
const sharedUnleash = async () => {
  unleashClient ??= await unleash();
  return unleashClient;
};

type Key = 'plain' | 'rollout';
const expectBoolean = (v: unknown) => {
  if (typeof v !== 'boolean') throw new Error(`expected a boolean, got ${String(v)}`);
};
const verify = async (op: () => unknown) => expectBoolean(await op());

function group(key: Key, label: string) {
  return [
    {
      name: 'ours: flags.isEnabled',
      group: label,
      setup: async () => {
        const f = await sharedOurs();
        return () => f.isEnabled(key, ctx);
      },
      verify,
    },
    {
      name: 'unleash-client isEnabled',
      group: label,
      setup: async () => {
        const u = await sharedUnleash();
        return () => u.isEnabled(key, { userId: USER, properties: { plan: 'pro' } });
      },
      verify,
    },
    {
      name: 'growthbook isOn',
      group: label,
      baseline: true,
      setup: () => {
        const gb = growthbook();
        return () => gb.isOn(key);
      },
      verify,
    },
    {
      name: 'openfeature + InMemoryProvider',
      group: label,
      setup: async () => {
        const c = await openFeatureInMemory(`inmem-${key}`);
        return () => c.getBooleanValue(key, false, ofCtx);
      },
      verify,
    },
  ];
}

export default defineMicroSuite({
  name: 'flags',
  description:
    'one flag evaluation: ours (synchronous snapshot) vs Unleash, GrowthBook and OpenFeature; and OpenFeature with our provider vs its in-memory provider',
  cases: [
    ...group('plain', '(a) plain boolean'),
    ...group('rollout', '(b) one rule + 50% rollout'),
    {
      name: 'openfeature + InMemoryProvider',
      group: '(c) OpenFeature provider overhead, rule + 50%',
      baseline: true,
      setup: async () => {
        const c = await openFeatureInMemory('inmem-of');
        return () => c.getBooleanValue('rollout', false, ofCtx);
      },
      verify,
    },
    {
      name: 'openfeature + ours (PlatformFlagsProvider)',
      group: '(c) OpenFeature provider overhead, rule + 50%',
      setup: async () => {
        await OpenFeature.setProviderAndWait('ours-of', openFeatureProvider(await sharedOurs()));
        const c = OpenFeature.getClient('ours-of');
        return () => c.getBooleanValue('rollout', false, ofCtx);
      },
      verify,
      teardown: async () => {
        unleashClient?.destroy();
        unleashClient = undefined;
        await oursFlags?.close();
        oursFlags = undefined;
        await OpenFeature.close();
      },
    },
  ],
});
