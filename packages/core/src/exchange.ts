/**
 * The framework-neutral view of one HTTP request/response pair. Every binding
 * (Express, Fastify, Next) adapts its own objects to this shape and hands it to
 * the core, so decisions are made once.
 */
export interface HttpExchange {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Route template when the framework knows it at this point. */
  readonly route?: string;
  /** Socket peer address, before any proxy resolution. */
  readonly remoteAddress?: string;
  /** First value of a request header (case-insensitive name), or undefined. */
  header(name: string): string | undefined;
  /** Sets a response header. */
  setHeader(name: string, value: string): void;
}
