import { describe, expect, it } from 'vitest';
import { AccessError, asAccessError, isAccessError } from './refusal.js';

describe('AccessError across copies of the package', () => {
  it('recognizes a refusal thrown by another copy (a bundler may load two) and keeps its status', () => {
    // what a second copy of the class looks like to this one: same shape, another prototype
    class OtherCopy extends Error {
      override readonly name = 'AccessError';
      constructor(
        readonly status: 401 | 403 | 503,
        readonly code: string,
        readonly detail: string,
      ) {
        super(detail);
      }
    }
    const foreign = new OtherCopy(401, 'session_revoked', 'The session was revoked.');
    expect(foreign instanceof AccessError).toBe(false);
    expect(isAccessError(foreign)).toBe(true);
    expect(asAccessError(foreign).status).toBe(401);
    expect(asAccessError(foreign).code).toBe('session_revoked');
  });

  it('turns anything else into a 503 that names no internals', () => {
    const named = Object.assign(new Error('x'), { name: 'AccessError', status: 200, code: 'ok' });
    expect(isAccessError(named)).toBe(false);
    expect(asAccessError(named)).toMatchObject({ status: 503, code: 'access_unavailable' });
    expect(asAccessError('boom')).toMatchObject({ status: 503, code: 'access_unavailable' });
  });
});
