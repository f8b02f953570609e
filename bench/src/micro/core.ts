import { AsyncLocalStorage } from 'node:async_hooks';
import { contextSlot, getContext, type RequestContext, runWithContext } from '@platform/core';
import { defineMicroSuite } from '../micro.js';

// The request-context hot path: open a scope and read the context a few times in it (a
// request's middleware chain reads it about that often), against a bare
// AsyncLocalStorage doing the same. Core's storage is process-wide (processSingleton):
// this measures what that costs on the hot path.
const READS = 8;
const ctx: RequestContext = {
  requestId: '0193a1c2-7d4e-7b01-8f3a-2c5d6e7f8a9b',
  method: 'GET',
  path: '/api/items/1',
  startTime: 0,
};

const bare = new AsyncLocalStorage<RequestContext>();
function readBare(): number {
  let n = 0;
  for (let i = 0; i < READS; i++) n += bare.getStore()?.requestId.length ?? 0;
  return n;
}
function readOurs(): number {
  let n = 0;
  for (let i = 0; i < READS; i++) n += getContext()?.requestId.length ?? 0;
  return n;
}

const slot = contextSlot<RequestContext>('bench');
function readSlot(): number {
  let n = 0;
  for (let i = 0; i < READS; i++) n += slot.get()?.requestId.length ?? 0;
  return n;
}

const verify = (op: () => unknown) => {
  const n = op();
  if (n !== READS * ctx.requestId.length) throw new Error(`expected the context, read ${n}`);
};

export default defineMicroSuite({
  name: 'core',
  description: `one scope opened and the context read ${READS} times in it: core's runWithContext/getContext and a context slot vs a bare AsyncLocalStorage`,
  cases: [
    {
      name: 'bare AsyncLocalStorage run + getStore',
      group: '(a) request context',
      baseline: true,
      setup: () => () => bare.run(ctx, readBare),
      verify,
    },
    {
      name: 'ours: runWithContext + getContext',
      group: '(a) request context',
      setup: () => () => runWithContext(ctx, readOurs),
      verify,
    },
    {
      name: 'bare AsyncLocalStorage run + getStore',
      group: '(b) context slot',
      baseline: true,
      setup: () => () => bare.run(ctx, readBare),
      verify,
    },
    {
      name: 'ours: contextSlot run + get',
      group: '(b) context slot',
      setup: () => () => slot.run(ctx, readSlot),
      verify,
    },
  ],
});
