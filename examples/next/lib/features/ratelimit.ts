import type { RouteFeature } from './types';

/** @platform/ratelimit in the example (not wired yet). */
export const ratelimit: RouteFeature = (handler) => handler;
