import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible provider for the examples: `startFakeAi()` serves
 * `POST /v1/chat/completions` on loopback (the e2e tests start it and pass FAKE_AI_URL);
 * `fakeAiClient()` is the OpenAI-shaped client the example routes wrap, talking to that URL
 * or, when none is configured (the demo), answering in-process.
 */
export interface ChatParams {
  model: string;
  messages: { role: string; content: string }[];
  max_tokens?: number;
}

export interface ChatResponse {
  id: string;
  object: 'chat.completion';
  model: string;
  choices: {
    index: number;
    message: { role: 'assistant'; content: string };
    finish_reason: string;
  }[];
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details: { cached_tokens: number };
  };
}

/** Deterministic, realistic-looking answer: prompt ≈ 1 token per 4 bytes, output ≤ max_tokens. */
export function fakeCompletion(params: ChatParams): ChatResponse {
  const bytes = Buffer.byteLength(params.messages.map((m) => m.content).join('\n'));
  const prompt = 8 + Math.ceil(bytes / 4);
  const max = params.max_tokens ?? 256;
  const completion = Math.max(1, Math.min(max, 12 + (bytes % 40)));
  const last = params.messages.at(-1)?.content ?? '';
  return {
    id: `chatcmpl-fake-${Date.now().toString(36)}`,
    object: 'chat.completion',
    model: params.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: `(fake ${params.model}) You said ${last.length} characters.`,
        },
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: 0 },
    },
  };
}

export function fakeAiClient(url: string | undefined) {
  return {
    chat: {
      completions: {
        async create(params: ChatParams): Promise<ChatResponse> {
          if (!url) return fakeCompletion(params);
          const res = await fetch(`${url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(params),
            signal: AbortSignal.timeout(10_000),
          });
          if (!res.ok) throw new Error(`AI provider answered ${res.status}`);
          return (await res.json()) as ChatResponse;
        },
      },
    },
  };
}

async function readJson(req: IncomingMessage): Promise<ChatParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body) as ChatParams;
}

export interface FakeAiServer {
  url: string;
  /** Requests the provider answered. */
  calls(): number;
  close(): Promise<void>;
}

export async function startFakeAi(): Promise<FakeAiServer> {
  let calls = 0;
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    calls++;
    const params = await readJson(req);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 10)));
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(fakeCompletion(params)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
