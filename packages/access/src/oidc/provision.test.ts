import { describe, expect, it } from 'vitest';
import { defaultIdentity } from './identity.js';
import { parseLoginOptions } from './options.js';
import { provision } from './provision.js';
import { memorySubjects, type SubjectStore } from './subjects.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const claims = { sub: 'u1', name: 'U', roles: ['viewer', 7], tid: 't1' };
const identity = defaultIdentity(claims);
const details = { provider: 'demo', returnTo: '/' };

function options(extra: Record<string, unknown>) {
  return parseLoginOptions({
    provider: { id: 'demo', issuer: 'https://idp.example', clientId: 'app', scopes: ['openid'] },
    redirectUri: 'https://app.example/cb',
    secrets: ['s'.repeat(32)],
    ...extra,
  });
}

describe('provisioning', () => {
  it('maps claims with the default identity', () => {
    expect(identity).toEqual({
      actor: { type: 'user', id: 'u1', roles: ['viewer'], name: 'U' },
      tenant: 't1',
    });
  });

  it('runs onFirstLogin once per subject, and again after it failed', async () => {
    const seen: string[] = [];
    let fail = true;
    const o = options({
      subjects: memorySubjects(),
      onFirstLogin: (i: typeof identity) => {
        seen.push(i.actor.id);
        if (fail) throw new Error('directory down');
      },
    });
    const failed = await provision(o, identity, claims, details, silent);
    expect(failed?.status).toBe(500);
    fail = false;
    expect(await provision(o, identity, claims, details, silent)).toBeUndefined();
    expect(await provision(o, identity, claims, details, silent)).toBeUndefined();
    expect(seen).toEqual(['u1', 'u1']);
  });

  it('fails closed (503) when the subject store is down', async () => {
    const down: SubjectStore = {
      claim: () => Promise.reject(new Error('ECONNREFUSED')),
      release: () => Promise.resolve(),
    };
    const o = options({ subjects: down, onFirstLogin: () => {} });
    const answer = await provision(o, identity, claims, details, silent);
    expect(answer?.status).toBe(503);
    expect(JSON.parse(answer?.body as string)).toMatchObject({ code: 'oidc_subjects_unavailable' });
  });

  it('asks the host instead when it supplies isKnown', async () => {
    const seen: string[] = [];
    const known = new Set(['u2']);
    const o = options({
      isKnown: (i: typeof identity) => known.has(i.actor.id),
      onFirstLogin: (i: typeof identity) => void seen.push(i.actor.id),
    });
    await provision(o, identity, claims, details, silent);
    await provision(o, defaultIdentity({ sub: 'u2' }), { sub: 'u2' }, details, silent);
    expect(seen).toEqual(['u1']);
  });
});
