import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { connectionWatch, watchPoolErrors } from './connection.js';

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

describe('connectionWatch', () => {
  it('reports once per outage, and a watch can be shared with watchPoolErrors', () => {
    const seen: string[] = [];
    const watch = connectionWatch((e) => seen.push(e.message));
    const pool = new EventEmitter();
    watchPoolErrors(pool, watch);
    watch.lost(new Error('checked-out connection died'));
    pool.emit('error', new Error('idle connection died'));
    expect(seen).toEqual(['checked-out connection died']);
    watch.ok();
    pool.emit('error', 'not an Error');
    expect(seen).toEqual(['checked-out connection died', 'not an Error']);
    pool.emit('connect');
    watch.lost(new Error('third'));
    expect(seen).toHaveLength(3);
  });

  it('swallows a throwing reporter', () => {
    const watch = connectionWatch(() => {
      throw new Error('bad reporter');
    });
    expect(() => watch.lost(new Error('x'))).not.toThrow();
  });
});
