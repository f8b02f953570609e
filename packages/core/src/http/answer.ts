/** What a response body may be: text, bytes, or a stream of either. */
export type AnswerBody = string | Uint8Array | AsyncIterable<string | Uint8Array>;

/**
 * The one answer type every @platform handler returns: status, headers and body. One Node
 * writer (`writeAnswer`, for Express, Fastify and plain `http`) and one Fetch converter
 * (`toResponse`, for Next, Hono and any Fetch framework) send it.
 */
export interface Answer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: AnswerBody;
  /**
   * Trailers sent after a streamed body where the transport supports them (Node's
   * HTTP/1.1 chunked responses); their names go in `trailerNames`. Fetch responses drop them.
   */
  trailers?: () => Promise<Record<string, string>>;
  trailerNames?: readonly string[];
  /** `Set-Cookie` lines, each its own header (a record cannot hold two of them). */
  cookies?: readonly string[];
}

/** A JSON answer (`application/json; charset=utf-8`). */
export function jsonAnswer(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/** The RFC 9457 fields an answer's problem carries; extension members ride along. */
export interface ProblemFields {
  type?: string;
  title: string;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** An `application/problem+json` answer; `type` defaults to `about:blank`. */
export function problemAnswer(
  status: number,
  problem: ProblemFields,
  headers: Record<string, string> = {},
): Answer {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ type: 'about:blank', ...problem, status }),
  };
}

/** An answer without a body (204, 304, 405 with `allow`, ...). */
export function emptyAnswer(status: number, headers: Record<string, string> = {}): Answer {
  return { status, headers };
}

/** True when the body is a stream rather than text or bytes. */
export function isStreamBody(
  body: AnswerBody | undefined,
): body is AsyncIterable<string | Uint8Array> {
  return body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array);
}
