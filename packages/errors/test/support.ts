import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { z } from 'zod';
import { AuthenticationError, NotFoundError, RateLimitError } from '../src/index.js';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A port nothing listens on: bound by us a moment ago, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts an http.Server on 127.0.0.1 with an OS-assigned port and returns its base URL. */
export async function baseUrl(server: Server): Promise<string> {
  if (!server.listening) await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A throwaway schema so parallel runs and other packages never collide. */
export async function scratchSchema(
  pool: pg.Pool,
): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `errors_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await pool.query(`create schema ${schema}`);
  return {
    schema,
    drop: async () => {
      await pool.query(`drop schema ${schema} cascade`);
    },
  };
}

/** The same failures, thrown from a route in every framework. */
export interface Scenarios {
  [name: string]: () => Promise<never>;
}

export async function createScenarios(): Promise<{ scenarios: Scenarios; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const { schema, drop } = await scratchSchema(pool);
  await pool.query(`create table ${schema}.users (email text primary key)`);
  await pool.query(`insert into ${schema}.users values ('taken@example.com')`);
  const port = await closedPort();
  const scenarios: Scenarios = {
    'not-found': async () => {
      throw new NotFoundError('Order 42 not found');
    },
    validation: async () => {
      z.object({ email: z.email(), qty: z.number().int().positive() }).parse({
        email: 'x',
        qty: 0,
      });
      throw new Error('unreachable');
    },
    internal: async () => {
      throw new Error('connection string postgres://admin:hunter2@db.internal failed');
    },
    'rate-limit': async () => {
      throw new RateLimitError(undefined, { retryAfter: 30 });
    },
    unauthenticated: async () => {
      throw new AuthenticationError();
    },
    duplicate: async () => {
      await pool.query(`insert into ${schema}.users values ($1)`, ['taken@example.com']);
      throw new Error('unreachable');
    },
    'upstream-down': async () => {
      await fetch(`http://127.0.0.1:${port}/`);
      throw new Error('unreachable');
    },
    string: async () => {
      throw 'a thrown string';
    },
  };
  return {
    scenarios,
    close: async () => {
      await drop();
      await pool.end();
    },
  };
}

/** What each scenario must answer with, in every framework. */
export const EXPECTED: Record<string, { status: number; code: string }> = {
  'not-found': { status: 404, code: 'not_found' },
  validation: { status: 400, code: 'validation' },
  internal: { status: 500, code: 'internal' },
  'rate-limit': { status: 429, code: 'rate_limit' },
  unauthenticated: { status: 401, code: 'authentication' },
  duplicate: { status: 409, code: 'unique_violation' },
  'upstream-down': { status: 503, code: 'network' },
  string: { status: 500, code: 'internal' },
};
