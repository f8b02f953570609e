import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categorize } from '../src/index.js';
import { closedPort, DATABASE_URL, scratchSchema } from './support.js';

let pool: pg.Pool;
let schema: string;
let drop: () => Promise<void>;

async function pgFailure(sql: string, params: unknown[] = []): Promise<unknown> {
  try {
    await pool.query(sql, params);
  } catch (err) {
    return err;
  }
  throw new Error(`expected ${sql} to fail`);
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  ({ schema, drop } = await scratchSchema(pool));
  await pool.query(`
    create table ${schema}.accounts (id int primary key, email text unique not null, balance int check (balance >= 0));
    create table ${schema}.orders (id int primary key, account_id int not null references ${schema}.accounts(id));
    insert into ${schema}.accounts values (1, 'a@example.com', 10), (2, 'b@example.com', 10);
  `);
});

afterAll(async () => {
  await drop();
  await pool.end();
});

describe('categorize real PostgreSQL errors', () => {
  it.each([
    [
      '23505 unique',
      () => `insert into ${schema}.accounts values (3, 'a@example.com', 0)`,
      'conflict',
      409,
      'unique_violation',
    ],
    [
      '23502 not null',
      () => `insert into ${schema}.accounts values (4, null, 0)`,
      'validation',
      400,
      'not_null_violation',
    ],
    [
      '23503 foreign key',
      () => `insert into ${schema}.orders values (1, 999)`,
      'validation',
      400,
      'foreign_key_violation',
    ],
    [
      '23514 check',
      () => `update ${schema}.accounts set balance = -1 where id = 1`,
      'validation',
      400,
      'check_violation',
    ],
    ['22P02 invalid text', () => `select 'not-a-uuid'::uuid`, 'validation', 400, 'invalid_data'],
    ['22012 division by zero', () => 'select 1/0', 'validation', 400, 'invalid_data'],
    ['42P01 undefined table', () => `select * from ${schema}.missing`, 'database', 500, 'database'],
  ])('%s', async (_name, sql, category, status, code) => {
    const original = (await pgFailure(sql())) as { code: string };
    const err = categorize(original);
    expect({ category: err.category, status: err.status, code: err.code }).toEqual({
      category,
      status,
      code,
    });
    expect(err.cause).toBe(original);
    expect(err.message).not.toContain(schema);
  });

  it('57014 statement timeout -> timeout 504', async () => {
    const client = await pool.connect();
    try {
      await client.query(`set statement_timeout = '50ms'`);
      const original = await client.query('select pg_sleep(5)').catch((e: unknown) => e);
      expect(categorize(original)).toMatchObject({
        category: 'timeout',
        status: 504,
        code: 'query_canceled',
      });
    } finally {
      await client.query('reset statement_timeout');
      client.release();
    }
  });

  it('57P01 terminated backend -> database unavailable 503, retryable', async () => {
    const victim = new pg.Client({ connectionString: DATABASE_URL });
    victim.on('error', () => {});
    await victim.connect();
    const { rows } = await victim.query<{ pid: number }>('select pg_backend_pid() as pid');
    const pending = victim.query('select pg_sleep(5)').catch((e: unknown) => e);
    await pool.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
    const original = await pending;
    await victim.end().catch(() => {});
    const err = categorize(original);
    expect(err).toMatchObject({ category: 'database', status: 503, retryable: true });
    expect(err.code).toBe('database_unavailable');
  });

  it('40001 serialization failure -> retryable database error', async () => {
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      for (const c of [a, b]) await c.query('begin isolation level serializable');
      await a.query(`select sum(balance) from ${schema}.accounts`);
      await b.query(`select sum(balance) from ${schema}.accounts`);
      await a.query(`update ${schema}.accounts set balance = balance + 1 where id = 1`);
      await b.query(`update ${schema}.accounts set balance = balance + 1 where id = 2`);
      await a.query('commit');
      const original = await b.query('commit').catch((e: unknown) => e);
      expect((original as { code?: string }).code).toBe('40001');
      expect(categorize(original)).toMatchObject({
        category: 'database',
        code: 'serialization_failure',
        retryable: true,
      });
    } finally {
      await a.query('rollback').catch(() => {});
      await b.query('rollback').catch(() => {});
      a.release();
      b.release();
    }
  });

  it('40P01 deadlock -> retryable database error', async () => {
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      for (const c of [a, b]) {
        await c.query(`set deadlock_timeout = '50ms'`);
        await c.query('begin');
      }
      await a.query(`update ${schema}.accounts set balance = balance where id = 1`);
      await b.query(`update ${schema}.accounts set balance = balance where id = 2`);
      const results = await Promise.allSettled([
        a.query(`update ${schema}.accounts set balance = balance where id = 2`),
        b.query(`update ${schema}.accounts set balance = balance where id = 1`),
      ]);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failed.reason.code).toBe('40P01');
      expect(categorize(failed.reason)).toMatchObject({
        code: 'deadlock_detected',
        retryable: true,
      });
    } finally {
      for (const c of [a, b]) {
        await c.query('rollback').catch(() => {});
        await c.query('reset deadlock_timeout').catch(() => {});
        c.release();
      }
    }
  });

  it('a refused database connection -> network 503', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: await closedPort(), user: 'postgres' });
    const original = await client.connect().catch((e: unknown) => e);
    expect((original as { code?: string }).code).toBe('ECONNREFUSED');
    expect(categorize(original)).toMatchObject({
      category: 'network',
      status: 503,
      retryable: true,
    });
  });
});
