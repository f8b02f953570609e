import { z } from 'zod';

/** What a client may send to create an item. */
export const newItemSchema = z.object({
  name: z.string().min(1).max(100),
  price: z.number().min(0),
});

export type Item = z.output<typeof newItemSchema> & { id: string };

/** An in-memory item store, seeded with two items. */
export function itemStore() {
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
