import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A unique schema name for one test file; drop it in afterAll. */
export function testSchema(label: string): string {
  return `flags_${label}_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}

export function pool(): pg.Pool {
  return new pg.Pool({ connectionString: DATABASE_URL, max: 5 });
}

export async function dropSchema(schema: string): Promise<void> {
  const p = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  try {
    await p.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await p.end();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  ms: number,
): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start;
    await sleep(5);
  }
  throw new Error(`condition not met within ${ms} ms`);
}
