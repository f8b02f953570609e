export type { RequestObserver, RequestSample } from './observer.js';
