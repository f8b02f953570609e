import type { RequestContext } from '../context.js';
import { type Answer, type AnswerBody, isStreamBody } from './answer.js';
import { readWebBody } from './body.js';
import { type NeutralRequest, neutralRequest } from './request.js';

/** Adapts a Fetch `Request` (Next route handlers, Hono, ...) to the neutral request. */
export function fetchRequest(
  request: Request,
  options: { base?: string; body?: unknown; context?: RequestContext } = {},
): NeutralRequest {
  const url = new URL(request.url);
  return neutralRequest({
    method: request.method,
    url: `${url.pathname}${url.search}`,
    base: options.base,
    header: (name) => request.headers.get(name) ?? undefined,
    body: options.body,
    readBody: request.bodyUsed ? undefined : (limit) => readWebBody(request, limit),
    context: options.context,
  });
}

const encoder = new TextEncoder();

function toStream(body: AsyncIterable<string | Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

function fetchBody(body: AnswerBody | undefined): ConstructorParameters<typeof Response>[0] {
  if (body === undefined) return null;
  if (isStreamBody(body)) return toStream(body);
  return body as string | Uint8Array<ArrayBuffer>;
}

/** Converts an answer to a Fetch `Response` (trailers are dropped: Fetch cannot send them). */
export function toResponse(answer: Answer): Response {
  let headers: Headers | Record<string, string> = answer.headers;
  if (answer.cookies?.length) {
    headers = new Headers(answer.headers);
    for (const cookie of answer.cookies) headers.append('set-cookie', cookie);
  }
  return new Response(fetchBody(answer.body), { status: answer.status, headers });
}
