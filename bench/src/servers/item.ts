/** The small JSON body every `/api/items/:id` route returns, identical across variants. */
export function item(id: string) {
  return { id, name: `Item ${id}`, price: 1999, currency: 'EUR', inStock: true, tags: ['bench'] };
}
