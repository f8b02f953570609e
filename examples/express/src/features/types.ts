import type { HealthCheck } from '@platform/metrics';
import type { Express } from 'express';
import type { ConsolePart } from '../../../shared/admin-console.js';

/** What every feature module of the example receives. */
export interface FeatureEnv {
  /** NODE_ENV === 'production'. */
  production: boolean;
}

/**
 * One @platform package wired into the example. Each lives in its own file under
 * src/features so the packages can be read (and changed) one at a time.
 */
export interface AppFeature {
  name: string;
  /** The feature's dependencies, checked by /health/ready and /health/status. */
  checks?: HealthCheck[];
  /** Mounted after the request context and demo auth, before body parsing and the routes. */
  before?(app: Express): void;
  /** The feature's own routes, mounted after the app's routes, before the not-found handler. */
  routes?(app: Express): void;
  /** What the feature shows in the admin console at /admin/console (its own handlers). */
  console?: ConsolePart;
  /** Error middleware, mounted after every feature's routes, before the error handler. */
  errors?(app: Express): void;
}
