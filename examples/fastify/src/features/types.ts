import type { HealthCheck } from '@platform/metrics';
import type { FastifyInstance } from 'fastify';
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
  /** Registered after the request context, demo auth and error handler, before the routes. */
  before?(app: FastifyInstance): Promise<void> | void;
  /** What the feature shows in the admin console at /admin/console (its own handlers). */
  console?: ConsolePart;
  /** The feature's own routes, registered after the app's routes. */
  routes?(app: FastifyInstance): Promise<void> | void;
}
