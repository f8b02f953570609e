import { afterEach, describe, expect, it, vi } from 'vitest';
import { processSingleton, SINGLETON_WARNING_CODE } from './singleton.js';

let n = 0;
const key = (pkg = 'test') => `@platform/${pkg}-${process.pid}-${++n}.state`;

describe('processSingleton', () => {
  afterEach(() => vi.restoreAllMocks());

  it('creates the value once and hands the same one to every later caller', () => {
    const k = key();
    const create = vi.fn(() => ({ hits: 0 }));
    const a = processSingleton(k, 1, create);
    const b = processSingleton(k, 1, create);
    expect(b).toBe(a);
    expect(create).toHaveBeenCalledTimes(1);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for(k)]).toEqual({
      version: 1,
      value: a,
    });
  });

  it('keeps its own value for another layout version and warns once per package', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const k = key('pkg-a');
    const first = processSingleton(k, 1, () => ({ v: 1 }));
    const other = processSingleton(k, 2, () => ({ v: 2 }));
    const again = processSingleton(k, 2, () => ({ v: 2 }));
    const sibling = processSingleton(`${k.split('.')[0]}.other`, 1, () => 1);
    processSingleton(`${k.split('.')[0]}.other`, 3, () => 3);
    expect(first).toEqual({ v: 1 });
    expect(other).toEqual({ v: 2 });
    expect(other).not.toBe(again);
    expect(processSingleton(k, 1, () => ({ v: 9 }))).toBe(first);
    expect(sibling).toBe(1);
    expect(emit).toHaveBeenCalledTimes(1);
    const [message, options] = emit.mock.calls[0] as [string, { code: string }];
    expect(options.code).toBe(SINGLETON_WARNING_CODE);
    expect(message).toContain(`"${k}" has layout 1 in the first and 2 in this one`);
    expect(message).toContain(`npm ls ${k.split('.')[0]}`);
  });
});
