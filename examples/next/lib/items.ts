import { z } from 'zod';

/** What a client may send to create an item. */
export const newItemSchema = z.object({
  name: z.string().min(1).max(100),
  price: z.number().min(0),
});

export type Item = z.output<typeof newItemSchema> & { id: string };

function itemStore() {
  const items = new Map<string, Item>();
  let lastId = 0;
  const add = (input: z.output<typeof newItemSchema>): Item => {
    const item = { id: String(++lastId), ...input };
    items.set(item.id, item);
    return item;
  };
  add({ name: 'Keyboard', price: 49.5 });
  add({ name: 'Mouse', price: 19 });
  return { list: () => [...items.values()], get: (id: string) => items.get(id), add };
}

// Route handlers and pages may be bundled separately; one store per process keeps them in sync.
const key = Symbol.for('platform.example.items');
const registry = globalThis as typeof globalThis & { [key]?: ReturnType<typeof itemStore> };

registry[key] ??= itemStore();

/** The in-memory item store, seeded with two items. */
export const items = registry[key];
