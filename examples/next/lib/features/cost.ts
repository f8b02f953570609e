import type { RouteFeature } from './types';

/** @platform/cost in the example (not wired yet). */
export const cost: RouteFeature = (handler) => handler;
