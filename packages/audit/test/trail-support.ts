import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditStore } from '../src/store.js';
import { memoryStore } from '../src/stores/memory.js';

/** A memory store that refuses every append while `state.down`, counting the attempts. */
export function flakyStore(down = false) {
  const inner = memoryStore();
  const state = { down, attempts: 0 };
  const store: AuditStore = {
    ...inner,
    async append(events) {
      state.attempts++;
      if (state.down) {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
          code: 'ECONNREFUSED',
        });
      }
      return inner.append(events);
    },
  };
  return { store, inner, state };
}

/** A spill file path in a fresh temporary folder named after `prefix`. */
export const spillFile = (prefix: string) =>
  join(mkdtempSync(join(tmpdir(), `${prefix}-`)), 'spill.ndjson');

/** Trail options for tests: no log copy, no shutdown hook, errors swallowed. */
export const quiet = { log: false as const, shutdown: false as const, onError: () => undefined };
