import { NotFoundError } from '@platform/errors';
import { items } from '../../../../lib/items';
import { route } from '../../../../lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(
  '/api/items/[id]',
  async (_request, { params }: { params: Promise<{ id: string }> }) => {
    const { id } = await params;
    const item = items.get(id);
    if (!item) throw new NotFoundError(`Item ${id} does not exist`);
    return Response.json(item);
  },
);
