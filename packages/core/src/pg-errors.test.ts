import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { watchPoolErrors } from './pg-errors.js';

describe('watchPoolErrors', () => {
  it('reports the first error of an outage, then again only after a reconnect', () => {
    const pool = new EventEmitter();
    const seen: string[] = [];
    const unwatch = watchPoolErrors(pool, (e) => seen.push(e.message));
    pool.emit('error', new Error('Connection terminated unexpectedly'));
    pool.emit('error', new Error('again'));
    expect(seen).toEqual(['Connection terminated unexpectedly']);
    pool.emit('connect');
    pool.emit('error', new Error('second outage'));
    expect(seen).toEqual(['Connection terminated unexpectedly', 'second outage']);
    unwatch();
    expect(pool.listenerCount('error')).toBe(0);
    expect(pool.listenerCount('connect')).toBe(0);
  });

  it('ignores clients without events and survives a throwing reporter', () => {
    expect(() => watchPoolErrors({ query: async () => ({ rows: [] }) }, () => {})()).not.toThrow();
    const pool = new EventEmitter();
    watchPoolErrors(pool, () => {
      throw new Error('bad reporter');
    });
    expect(() => pool.emit('error', new Error('x'))).not.toThrow();
  });
});
