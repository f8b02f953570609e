import type { RequestContext } from '../context.js';
import { type Answer, problemAnswer } from './answer.js';

/**
 * The one framework-neutral request every @platform handler takes. The bindings build it
 * (`expressRoute`, `fastifyRoute`, `nextRoute`, `honoRoute`): URL and query are parsed
 * here, once.
 */
export interface NeutralRequest {
  readonly method: string;
  /** Path without the query string, as the client sent it. */
  readonly path: string;
  /** Where the handler is mounted (`/admin/flags`); `''` at the root. */
  readonly base: string;
  readonly query: URLSearchParams;
  /** First value of a request header (case-insensitive name), or undefined. */
  header(name: string): string | undefined;
  /** The body the framework already parsed (express.json(), Fastify's parsers), if any. */
  readonly body?: unknown;
  /**
   * Reads the raw body, resolving undefined once it exceeds `limit` bytes. Absent when the
   * framework consumed the body already.
   */
  readBody?(limit: number): Promise<Uint8Array | undefined>;
  /** Socket peer address, when the framework exposes it. */
  readonly remoteAddress?: string;
  /** The @platform request context, when core's binding opened one. */
  readonly context?: RequestContext;
}

/**
 * A handler any package exports: one neutral request in, one answer out. `undefined` means
 * "not mine": Express calls `next()`, Fastify its not-found handler, Fetch bindings answer 404.
 */
export type NeutralHandler = (
  request: NeutralRequest,
) => Answer | undefined | Promise<Answer | undefined>;

/** Default cap on a JSON body a handler reads itself. */
export const JSON_BODY_LIMIT = 1_048_576;

/**
 * The request's JSON body: the one the framework parsed, or the raw body read (up to
 * `limit` bytes) and parsed here. A missing body is `undefined`; an oversized or malformed
 * one is a ready problem answer (413 / 400).
 */
export async function jsonBody(
  request: NeutralRequest,
  limit = JSON_BODY_LIMIT,
): Promise<{ value: unknown } | { problem: Answer }> {
  if (request.body !== undefined || !request.readBody) return { value: request.body };
  const bytes = await request.readBody(limit);
  if (bytes === undefined) {
    return {
      problem: problemAnswer(413, {
        title: 'Payload Too Large',
        detail: `The body exceeds ${limit} bytes.`,
      }),
    };
  }
  if (bytes.byteLength === 0) return { value: undefined };
  try {
    return { value: JSON.parse(Buffer.from(bytes).toString('utf8')) };
  } catch {
    return {
      problem: problemAnswer(400, { title: 'Bad Request', detail: 'The body is not valid JSON.' }),
    };
  }
}

/** The path of a request target: everything before `?` (the only place that splits there). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Splits a request target into its path and its query string (without the `?`). */
export function splitUrl(url: string): { path: string; search: string } {
  const path = pathOf(url);
  return { path, search: url.slice(path.length + 1) };
}

/** The first value of a Node request header (lower-case or any-case name). */
export function firstHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The path below the mount point: `''` at the mount point, never starting with `/`. */
export function subpath(request: Pick<NeutralRequest, 'path' | 'base'>): string {
  const { path, base } = request;
  const rest = base && path.startsWith(base) ? path.slice(base.length) : path;
  return rest.startsWith('/') ? rest.slice(1) : rest;
}

/** Fields the bindings fill in when adapting their request objects. */
export interface NeutralRequestInit {
  method: string;
  url: string;
  base?: string;
  header(name: string): string | undefined;
  body?: unknown;
  readBody?(limit: number): Promise<Uint8Array | undefined>;
  remoteAddress?: string;
  context?: RequestContext;
}

/** Builds a neutral request from what a binding knows; parses the URL once. */
export function neutralRequest(init: NeutralRequestInit): NeutralRequest {
  const { path, search } = splitUrl(init.url);
  return {
    method: init.method,
    path,
    base: init.base ?? '',
    query: new URLSearchParams(search),
    header: init.header,
    body: init.body,
    readBody: init.readBody,
    remoteAddress: init.remoteAddress,
    context: init.context,
  };
}
