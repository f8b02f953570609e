import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAi {
  url: string;
  /** Requests served, by path. */
  served: Map<string, number>;
  close(): Promise<void>;
}

export interface FakeAiOptions {
  /** Random latency in [0, maxLatencyMs). Default 20. */
  maxLatencyMs?: number;
  /** Deterministic random source (tests pass a seeded one). */
  random?: () => number;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

/**
 * An AI provider on loopback speaking the OpenAI Chat (`/v1/chat/completions`) and Anthropic
 * (`/v1/messages`) shapes, with random latency and random token counts that stay within what
 * the caller could have reserved: input ≤ the UTF-8 size of the messages, output ≤ max_tokens.
 */
export async function startFakeAi(options: FakeAiOptions = {}): Promise<FakeAi> {
  const random = options.random ?? Math.random;
  const maxLatency = options.maxLatencyMs ?? 20;
  const served = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const path = req.url ?? '';
    served.set(path, (served.get(path) ?? 0) + 1);
    const input = await body(req);
    await new Promise((r) => setTimeout(r, Math.floor(random() * maxLatency)));
    const bytes = Buffer.byteLength(JSON.stringify(input.messages ?? ''));
    const prompt = 1 + Math.floor(random() * Math.max(1, Math.floor(bytes / 4)));
    const maxTokens = typeof input.max_tokens === 'number' ? input.max_tokens : 256;
    const completion = 1 + Math.floor(random() * maxTokens);
    const model = String(input.model ?? 'unknown');
    let out: unknown;
    if (path === '/v1/chat/completions') {
      const cached = Math.floor(prompt / 3);
      out = {
        id: `chatcmpl-${Date.now()}`,
        object: 'chat.completion',
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'ok '.repeat(Math.min(completion, 50)) },
            finish_reason: 'stop',
          },
        ],
        usage: {
          prompt_tokens: prompt,
          completion_tokens: completion,
          total_tokens: prompt + completion,
          prompt_tokens_details: { cached_tokens: cached },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      };
    } else if (path === '/v1/messages') {
      const read = Math.floor(prompt / 3);
      out = {
        id: `msg_${Date.now()}`,
        type: 'message',
        model,
        content: [{ type: 'text', text: 'ok' }],
        usage: {
          input_tokens: prompt - read,
          cache_read_input_tokens: read,
          cache_creation_input_tokens: 0,
          output_tokens: completion,
        },
      };
    } else {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A minimal OpenAI-shaped client for the fake (the real SDK has the same call shape). */
export function fakeOpenAiClient(url: string) {
  return {
    chat: {
      completions: {
        async create(params: Record<string, unknown>): Promise<Record<string, unknown>> {
          const res = await fetch(`${url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(params),
          });
          if (!res.ok) throw new Error(`fake AI answered ${res.status}`);
          return (await res.json()) as Record<string, unknown>;
        },
      },
    },
  };
}

/** A minimal Anthropic-shaped client for the fake. */
export function fakeAnthropicClient(url: string) {
  return {
    messages: {
      async create(params: Record<string, unknown>): Promise<Record<string, unknown>> {
        const res = await fetch(`${url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(params),
        });
        return (await res.json()) as Record<string, unknown>;
      },
    },
  };
}
