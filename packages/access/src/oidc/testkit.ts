import { randomUUID } from 'node:crypto';
import { type StoreTestOptions, testStore } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import type { SubjectStore } from './subjects.js';

/** The known-subjects suites `skip` may name. */
export type SubjectStoreSuite = 'claim' | 'concurrency' | 'release';

// Each test claims fresh subjects, so runs need no cleanup and may share a table.
const fresh = () => `subject-${randomUUID()}`;

/**
 * The conformance suite every known-subjects store passes (memory and PostgreSQL here; run
 * it on your own with one call from a vitest file).
 *
 * @example
 * testSubjectStore({ name: 'postgres', create: () => postgresSubjects({ client: pool }) });
 */
export function testSubjectStore(options: StoreTestOptions<SubjectStore, SubjectStoreSuite>): void {
  testStore(options, {
    title: 'known-subjects store conformance',
    suites: {
      claim: (store) => {
        it('claims a subject once per provider', async () => {
          const subject = fresh();
          expect(await store().claim('google', subject)).toBe(true);
          expect(await store().claim('google', subject)).toBe(false);
          expect(await store().claim('github', subject)).toBe(true);
        });
      },
      concurrency: (store) => {
        it('lets exactly one of many concurrent first logins win', async () => {
          const subject = fresh();
          const results = await Promise.all(
            Array.from({ length: 8 }, () => store().claim('google', subject)),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
        });
      },
      release: (store) => {
        it('forgets a released claim, and only that one', async () => {
          const [a, b] = [fresh(), fresh()];
          await store().claim('google', a);
          await store().claim('google', b);
          await store().release('google', a);
          expect(await store().claim('google', a)).toBe(true);
          expect(await store().claim('google', b)).toBe(false);
        });
      },
    },
  });
}
