import { headers } from 'next/headers';
import { items } from '../lib/items';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const requestId = (await headers()).get('x-request-id');
  return (
    <main>
      <h1>Items</h1>
      <ul>
        {items.list().map((item) => (
          <li key={item.id}>
            {item.name}: {item.price}
          </li>
        ))}
      </ul>
      <p>
        Request id: <code data-testid="request-id">{requestId}</code>
      </p>
    </main>
  );
}
