import type { RouteFeature } from './types';

/** @platform/audit in the example (not wired yet). */
export const audit: RouteFeature = (handler) => handler;
