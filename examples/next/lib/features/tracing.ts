import type { RouteFeature } from './types';

/** @platform/tracing in the example (not wired yet). */
export const tracing: RouteFeature = (handler) => handler;
