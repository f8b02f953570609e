import { randomUUID } from 'node:crypto';
import type { FlagStateInput } from '../model.js';

/** What a run seeds its store with: one flag using every field, and one plain flag. */
export interface FlagSeed {
  /** Unique to the run, so runs sharing a database do not meet. */
  run: string;
  full: FlagStateInput;
  seedKey: string;
  flags: FlagStateInput[];
}

export function flagSeed(): FlagSeed {
  const run = randomUUID().slice(0, 8);
  const full: FlagStateInput = {
    key: `tk-full-${run}`,
    enabled: true,
    variants: { red: 'red', blue: 'blue' },
    offVariant: 'red',
    serve: {
      variant: 'red',
      rollout: {
        variants: [
          { variant: 'red', weight: 2500 },
          { variant: 'blue', weight: 7500 },
        ],
        stickiness: 'accountId',
      },
    },
    rules: [
      {
        id: 'r1',
        conditions: [{ attribute: 'version', operator: 'semver_gte', values: ['1.2.0'] }],
        serve: { variant: 'blue' },
      },
    ],
    targets: [{ variant: 'blue', users: ['u-1'] }],
    tenants: { acme: { serve: { variant: 'blue' } }, globex: { enabled: false } },
    prerequisites: [{ flag: 'other', variants: ['on'] }],
    environments: { production: { enabled: false, tenants: { acme: { enabled: true } } } },
    description: 'conformance',
    owner: 'team-a',
    tags: ['x'],
    kind: 'experiment',
  };
  const seedKey = `tk-seed-${run}`;
  return { run, full, seedKey, flags: [full, { key: seedKey, serve: { variant: 'on' } }] };
}
