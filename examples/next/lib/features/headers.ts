import type { RouteFeature } from './types';

/** @platform/headers in the example (not wired yet). */
export const headers: RouteFeature = (handler) => handler;
