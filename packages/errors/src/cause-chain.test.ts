import { describe, expect, it } from 'vitest';
import { categorize } from './categorize.js';
import { causeChain } from './cause-chain.js';

describe('causeChain', () => {
  it('lists the error and its causes with codes', () => {
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const wrapped = new TypeError('fetch failed', { cause: root });
    expect(causeChain(categorize(wrapped))).toEqual([
      { name: 'NetworkError', message: expect.any(String), code: 'network' },
      { name: 'TypeError', message: 'fetch failed' },
      { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' },
    ]);
  });

  it('handles non-errors, cycles and long messages', () => {
    expect(causeChain('boom')).toEqual([{ name: 'string', message: 'boom' }]);
    expect(causeChain(undefined)).toEqual([]);
    const a = new Error('x'.repeat(5000));
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    const chain = causeChain(b);
    expect(chain).toHaveLength(2);
    expect(chain[1]?.message).toHaveLength(1000);
  });

  it('never throws, even on hostile values', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(causeChain(hostile)).toEqual([{ name: 'Unknown', message: expect.any(String) }]);
  });
});
