import { headers } from 'next/headers';
import { items } from '../lib/items';
import { HydrationCheck } from './hydration-check';

export const dynamic = 'force-dynamic';

/**
 * The home page. It renders per request (a nonce cannot be prerendered): proxy.ts puts
 * the `html` preset's nonce CSP on the request and the response, Next adds the nonce to
 * its own scripts, and the page's inline script carries it too (`x-nonce`).
 *
 * `?inject=1` adds an inline script WITHOUT the nonce, standing in for injected markup:
 * the CSP must block it and the browser reports the violation to /api/csp-report.
 */
export default async function Home({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const requestHeaders = await headers();
  const requestId = requestHeaders.get('x-request-id');
  const nonce = requestHeaders.get('x-nonce') ?? undefined;
  const { inject } = await searchParams;
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
      <HydrationCheck />
      <script
        nonce={nonce}
        // biome-ignore lint/security/noDangerouslySetInnerHtml: constant text, allowed by its nonce
        dangerouslySetInnerHTML={{ __html: "document.documentElement.dataset.nonced='ran'" }}
      />
      {inject === '1' && (
        <script
          // biome-ignore lint/security/noDangerouslySetInnerHtml: constant text; the CSP must block it
          dangerouslySetInnerHTML={{ __html: "document.documentElement.dataset.injected='ran'" }}
        />
      )}
    </main>
  );
}
