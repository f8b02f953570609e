import type { RouteFeature } from './types';

/** @platform/flags in the example (not wired yet). */
export const flags: RouteFeature = (handler) => handler;
