export * from './health/index.js';
export type { RequestObserver, RequestSample } from './observer.js';
export * from './slo/index.js';
