import { afterAll, describe, expect, it } from 'vitest';
import { type StoreGetter, type StoreTestkit, testStore } from './testkit.js';

type Toy = { id: number; items: string[] };
type ToySuite = 'writes' | 'reads' | 'off';

const calls: string[] = [];
let made = 0;

const kit: StoreTestkit<Toy, ToySuite> = {
  title: 'toy store conformance',
  suites: {
    writes: (store: StoreGetter<Toy>) => {
      it('writes', () => {
        calls.push(`test writes on ${store().id}`);
        store().items.push('a');
        expect(store().items).toEqual(['a']);
      });
    },
    reads: (store: StoreGetter<Toy>) => {
      it('reads after cleanup', () => {
        calls.push(`test reads on ${store().id}`);
        expect(store().items).toEqual([]);
      });
    },
    off: () => {
      it('never runs when skipped', () => {
        calls.push('test off');
      });
    },
  },
};

describe('testStore', () => {
  testStore(
    {
      name: 'toy',
      create: () => {
        calls.push('create');
        return { id: ++made, items: [] };
      },
      migrate: (s) => {
        calls.push(`migrate ${s.id}`);
      },
      cleanup: (s) => {
        calls.push(`cleanup ${s.id}`);
        s.items.length = 0;
      },
      destroy: (s) => {
        calls.push(`destroy ${s.id}`);
      },
      skip: ['off'],
    },
    kit,
  );

  afterAll(() => {
    expect(calls).toEqual([
      'create',
      'migrate 1',
      'test writes on 1',
      'cleanup 1',
      'test reads on 1',
      'cleanup 1',
      'destroy 1',
    ]);
  });

  it('refuses an unknown suite name in skip, naming the known ones', () => {
    const typo = { name: 'typo', create: () => ({ id: 0, items: [] }), skip: ['concurency'] };
    expect(() => testStore(typo as never, kit)).toThrow(
      /unknown suite "concurency" in skip; the suites are writes, reads, off/,
    );
  });
});

describe('testStore input', () => {
  const seen: string[][] = [];
  testStore(
    {
      name: 'seeded',
      create: (seed: string[]) => {
        seen.push(seed);
        return { id: 0, items: [...seed] };
      },
    },
    {
      title: 'seeded store conformance',
      input: ['x', 'y'],
      suites: {
        seed: (store: StoreGetter<Toy>) => {
          it('hands the kit input to create', () => {
            expect(store().items).toEqual(['x', 'y']);
            expect(seen).toEqual([['x', 'y']]);
          });
        },
      },
    },
  );
});
