import { items, newItemSchema } from '../../../lib/items';
import { readJson } from '../../../lib/json';
import { route } from '../../../lib/route';

export const dynamic = 'force-dynamic';

export const GET = route('/api/items', () => Response.json({ items: items.list() }));

export const POST = route('/api/items', async (request) => {
  const input = newItemSchema.parse(await readJson(request));
  return Response.json(items.add(input), { status: 201 });
});
