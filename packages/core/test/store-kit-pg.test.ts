import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { ConfigError } from '../src/options.js';
import { type Migration, migrate, type SqlClient, withTransaction } from '../src/stores/index.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// PGlite boots a WASM PostgreSQL: slow on a busy machine.
vi.setConfig({ hookTimeout: 60_000, testTimeout: 30_000 });

const pools: pg.Pool[] = [];
const schemas: string[] = [];
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
// One PGlite for the file, booted by the first test that needs it: the WASM boot holds the
// event loop for seconds, which would stretch the other tests' round trips.
let booted: PGlite | undefined;
const pglite = () => {
  booted ??= new PGlite();
  return booted;
};

function pool(options: pg.PoolConfig = {}): pg.Pool {
  const p = new pg.Pool({ connectionString: DATABASE_URL, max: 3, ...options });
  p.on('error', () => undefined);
  pools.push(p);
  return p;
}

function freshSchema(): string {
  const schema = `kit_t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  schemas.push(schema);
  return schema;
}

afterAll(async () => {
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await Promise.all([...pools, admin].map((p) => p.end()));
  await booted?.close();
});

/** Migrations that fail when run twice: no IF NOT EXISTS, and a row counting the runs. */
const strict = (schema: string): Migration[] => [
  { version: 1, up: `CREATE TABLE "${schema}".notes (id text PRIMARY KEY)` },
  {
    version: 2,
    up: [
      `CREATE TABLE "${schema}".runs (n integer NOT NULL)`,
      `INSERT INTO "${schema}".runs VALUES (1)`,
    ],
  },
  {
    version: 3,
    up: async (tx: SqlClient) => {
      await tx.query(`ALTER TABLE "${schema}".notes ADD COLUMN body text`);
      await tx.query(`INSERT INTO "${schema}".runs VALUES (3)`);
    },
  },
];

describe('migrate', () => {
  it('applies pending versions in order and records them in platform_migrations', async () => {
    const schema = freshSchema();
    const db = pool();
    const migrations = strict(schema);
    expect(await migrate(db, { component: 'notes', schema, migrations: [migrations[0]!] })).toEqual(
      {
        applied: [1],
      },
    );
    // given out of order: still applied in version order
    expect(
      await migrate(db, {
        component: 'notes',
        schema,
        migrations: [migrations[2]!, migrations[1]!, migrations[0]!],
      }),
    ).toEqual({ applied: [2, 3] });
    expect(await migrate(db, { component: 'notes', schema, migrations })).toEqual({ applied: [] });
    const { rows } = await db.query(
      `SELECT component, version, applied_at FROM "${schema}".platform_migrations ORDER BY version`,
    );
    expect(rows.map((r) => [r.component, r.version])).toEqual([
      ['notes', 1],
      ['notes', 2],
      ['notes', 3],
    ]);
    expect(rows[0]?.applied_at).toBeInstanceOf(Date);
  });

  it('applies each version exactly once when processes migrate at the same time', async () => {
    const schema = freshSchema();
    const a = pool();
    const b = pool();
    const migrations = strict(schema);
    const results = await Promise.all(
      [a, b, a, b].map((db) => migrate(db, { component: 'notes', schema, migrations })),
    );
    expect(results.flatMap((r) => r.applied).sort()).toEqual([1, 2, 3]);
    const runs = await a.query(`SELECT n FROM "${schema}".runs ORDER BY n`);
    expect(runs.rows).toEqual([{ n: 1 }, { n: 3 }]);
    const versions = await b.query(
      `SELECT count(*)::int AS n FROM "${schema}".platform_migrations WHERE component = 'notes'`,
    );
    expect(versions.rows[0]?.n).toBe(3);
  });

  it('counts versions per component in one schema', async () => {
    const schema = freshSchema();
    const db = pool();
    await migrate(db, { component: 'notes', schema, migrations: strict(schema).slice(0, 1) });
    const other = await migrate(db, {
      component: 'tags',
      schema,
      migrations: [{ version: 1, up: `CREATE TABLE "${schema}".tags (id text)` }],
    });
    expect(other.applied).toEqual([1]);
  });

  it('leaves nothing of a failed migration and applies it once fixed', async () => {
    const schema = freshSchema();
    const db = pool();
    const [first] = strict(schema);
    const broken: Migration = {
      version: 2,
      up: [`CREATE TABLE "${schema}".half (id text)`, 'SELECT * FROM no_such_table'],
    };
    await expect(
      migrate(db, { component: 'notes', schema, migrations: [first!, broken] }),
    ).rejects.toThrow(/no_such_table/);
    const tables = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(['notes', 'platform_migrations']);
    const fixed: Migration = { version: 2, up: `CREATE TABLE "${schema}".half (id text)` };
    expect(await migrate(db, { component: 'notes', schema, migrations: [first!, fixed] })).toEqual({
      applied: [2],
    });
  });

  it('rejects bad versions, components and schemas before touching the database', async () => {
    const db = pool();
    const up = 'SELECT 1';
    await expect(
      migrate(db, {
        component: 'x',
        migrations: [
          { version: 1, up },
          { version: 1, up },
        ],
      }),
    ).rejects.toThrow(/1 appears twice/);
    await expect(
      migrate(db, { component: 'x', migrations: [{ version: 0, up }] }),
    ).rejects.toBeInstanceOf(ConfigError);
    await expect(migrate(db, { component: '', migrations: [] })).rejects.toThrow(/component/);
    await expect(migrate(db, { component: 'x', schema: 'a"b', migrations: [] })).rejects.toThrow(
      /migrate schema must be/,
    );
  });

  it('works on PGlite, in the default schema', async () => {
    const lite = pglite();
    const migrations: Migration[] = [
      { version: 1, up: 'CREATE TABLE notes (id text PRIMARY KEY)' },
      {
        version: 2,
        up: ['ALTER TABLE notes ADD COLUMN body text', "INSERT INTO notes VALUES ('a', 'b')"],
      },
    ];
    const both = await Promise.all([
      migrate(lite, { component: 'notes', migrations }),
      migrate(lite, { component: 'notes', migrations }),
    ]);
    expect(both.flatMap((r) => r.applied).sort()).toEqual([1, 2]);
    const { rows } = await lite.query('SELECT id, body FROM notes');
    expect(rows).toEqual([{ id: 'a', body: 'b' }]);
    // PGlite boots in seconds alone, and in tens of seconds on a loaded two-core runner.
  }, 90_000);
});

describe('withTransaction', () => {
  const table = async (db: SqlClient) => {
    const schema = freshSchema();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.query(`CREATE TABLE "${schema}".t (v text)`);
    return {
      name: `"${schema}".t`,
      values: async () =>
        (await db.query<{ v: string }>(`SELECT v FROM "${schema}".t ORDER BY v`)).rows.map(
          (r) => r.v,
        ),
    };
  };

  it('commits on a pg Pool, and rolls back (rethrowing) when fn throws', async () => {
    const db = pool();
    const t = await table(db);
    const out = await withTransaction(db, async (tx) => {
      await tx.query(`INSERT INTO ${t.name} VALUES ('kept')`);
      return 42;
    });
    expect(out).toBe(42);
    const boom = new Error('boom');
    await expect(
      withTransaction(db, async (tx) => {
        await tx.query(`INSERT INTO ${t.name} VALUES ('undone')`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await t.values()).toEqual(['kept']);
    expect(db.idleCount).toBe(db.totalCount);
  });

  it('queues transactions on a single pg Client so they never interleave', async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const t = await table(client);
      const failing = withTransaction(client, async (tx) => {
        await tx.query(`INSERT INTO ${t.name} VALUES ('first')`);
        throw new Error('first fails');
      });
      const second = withTransaction(client, async (tx) => {
        await tx.query(`INSERT INTO ${t.name} VALUES ('second')`);
      });
      await expect(failing).rejects.toThrow('first fails');
      await second;
      expect(await t.values()).toEqual(['second']);
    } finally {
      await client.end();
    }
  });

  it('runs on PGlite with its own transaction()', async () => {
    const lite = pglite();
    await lite.query('CREATE TABLE t (v text)');
    await expect(
      withTransaction(lite, async (tx) => {
        await tx.query("INSERT INTO t VALUES ('undone')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await withTransaction(lite, (tx) => tx.query("INSERT INTO t VALUES ('kept')"));
    expect((await lite.query('SELECT v FROM t')).rows).toEqual([{ v: 'kept' }]);
  });

  it('destroys a pooled connection that died mid-transaction, and the pool carries on', async () => {
    const proxy = new TcpProxy(5432);
    await proxy.start();
    try {
      const db = pool({ connectionString: proxy.urlFor(DATABASE_URL), max: 1 });
      const heard: Error[] = [];
      const cut = withTransaction(
        db,
        async (tx) => {
          await tx.query('SELECT 1');
          proxy.cut();
          await tx.query('SELECT 1');
        },
        { onConnectionError: (e) => heard.push(e) },
      );
      await expect(cut).rejects.toThrow();
      expect(heard.map((e) => e.message)).toEqual(['Connection terminated unexpectedly']);
      expect(db.totalCount).toBe(0);
      expect(await withTransaction(db, (tx) => tx.query('SELECT 1 AS one'))).toMatchObject({
        rows: [{ one: 1 }],
      });
    } finally {
      await proxy.stop();
    }
  });
});
