/** A Next.js route handler (App Router): the request plus Next's context argument. */
export type Handler<A extends unknown[]> = (
  request: Request,
  ...rest: A
) => Response | Promise<Response>;

/** What a feature knows about the route it wraps. */
export interface RouteInfo {
  /** The route template, e.g. `/api/items/[id]`. */
  route: string;
}

/**
 * One @platform package wired into the example: it wraps every route handler.
 * Each lives in its own file under lib/features so the packages can be read (and
 * changed) one at a time; lib/route.ts composes them in chain order.
 */
export type RouteFeature = <A extends unknown[]>(
  handler: Handler<A>,
  info: RouteInfo,
) => Handler<A>;
