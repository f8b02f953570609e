import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PATHS, type ProviderFixture, toSse } from './genai-fixtures.js';

/** The header a test sets on a call to choose the fixture the fake provider answers with. */
export const FIXTURE_HEADER = 'x-fixture';

export interface FakeProvider {
  /** `http://127.0.0.1:<port>`: the Anthropic SDK's baseURL; OpenAI's is `${url}/v1`. */
  url: string;
  /** Request bodies received, in order. */
  requests: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const part of req) text += part;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function answer(res: ServerResponse, f: ProviderFixture, streamed: boolean): void {
  if (streamed && f.events) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(toSse(f.events));
    return;
  }
  if (!streamed && f.body) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(f.body));
    return;
  }
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      error: { message: `fixture ${f.name} is not ${streamed ? '' : 'un'}streamed` },
    }),
  );
}

/**
 * An AI provider on loopback that answers OpenAI Chat Completions, OpenAI Responses and
 * Anthropic Messages calls with the fixture named by the `x-fixture` request header, as JSON
 * or as server-sent events when the call asks for a stream. A call on the wrong endpoint
 * for its fixture gets a 404.
 */
export async function fakeGenAiProvider(
  fixtures: readonly ProviderFixture[],
): Promise<FakeProvider> {
  const byName = new Map(fixtures.map((f) => [f.name, f]));
  const requests: FakeProvider['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    requests.push({ path, body });
    const f = byName.get(String(req.headers[FIXTURE_HEADER]));
    if (!f || req.method !== 'POST' || API_PATHS[f.api] !== path) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no fixture for ${req.method} ${path}` } }));
      return;
    }
    answer(res, f, body.stream === true);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
