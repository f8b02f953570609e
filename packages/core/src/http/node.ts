import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../context.js';
import { type Answer, isStreamBody } from './answer.js';
import { readNodeBody } from './body.js';
import { firstHeader, type NeutralRequest, neutralRequest } from './request.js';

/** What Express (and plain `http` servers with a body parser) put on the request. */
export type NodeRequestLike = IncomingMessage & {
  originalUrl?: string;
  baseUrl?: string;
  body?: unknown;
};

/** Adapts a Node request (Express's, or a plain `http` one) to the neutral request. */
export function nodeRequest(
  req: NodeRequestLike,
  options: { base?: string; context?: RequestContext } = {},
): NeutralRequest {
  const consumed = req.body !== undefined || req.readableEnded;
  return neutralRequest({
    method: req.method ?? 'GET',
    url: req.originalUrl ?? req.url ?? '/',
    base: options.base ?? req.baseUrl ?? '',
    header: (name) => firstHeader(req.headers, name),
    body: req.body,
    readBody: consumed ? undefined : (limit) => readNodeBody(req, limit),
    remoteAddress: req.socket?.remoteAddress,
    context: options.context,
  });
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes an answer to a Node response: text and bytes at once, streams with backpressure
 * (stopping when the client goes away) and trailers. Headers already set on the response
 * by earlier middleware stay unless the answer sets the same name.
 */
export async function writeAnswer(res: ServerResponse, answer: Answer): Promise<void> {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = answer.status;
  for (const name in answer.headers) res.setHeader(name, answer.headers[name] as string);
  if (answer.cookies?.length) res.appendHeader('set-cookie', [...answer.cookies]);
  const body = answer.body;
  if (!isStreamBody(body)) {
    res.end(body);
    return;
  }
  const trailers = answer.trailers && answer.trailerNames?.length ? answer.trailers : undefined;
  if (trailers) res.setHeader('trailer', (answer.trailerNames as string[]).join(', '));
  for await (const chunk of body) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drained(res);
  }
  if (trailers && !res.destroyed) res.addTrailers(await trailers());
  res.end();
}
