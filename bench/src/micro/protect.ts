import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { auditTrail } from '@platform/audit';
import { postgresStore } from '@platform/audit/postgres';
import type { SqlClient } from '@platform/core';
import {
  ERASED,
  type FieldProtector,
  fieldProtector,
  memoryKeyProvider,
  memoryKeyStore,
  openAuditEvent,
  sealAuditInput,
} from '@platform/protect';
import { postgresKeyStore } from '@platform/protect/postgres';
import { defineMicroSuite } from '../micro.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const EVENTS = 10_000;
const log = (line: string) => process.stderr.write(`${line}\n`);

type Pool = SqlClient & { end(): Promise<void> };
const newPool = async (): Promise<Pool> => {
  const pg = (await import('pg' as string)) as { default: { Pool: new (o: object) => Pool } };
  return new pg.default.Pool({ connectionString: DATABASE_URL, max: 4 });
};

const key = randomBytes(32);
const aad = Buffer.from('users/42/email');
const email = Buffer.from('"ada.lovelace@example.com"');
const ctx = { tenantId: 'acme', subjectId: 'u42', aad: 'users/42/email' };

function rawSeal() {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(email), c.final()]);
  return { iv, body, tag: c.getAuthTag() };
}
const sealedRaw = rawSeal();

/** A protector over memory stores, its data keys warm in the cache. */
async function warmProtector(): Promise<FieldProtector> {
  const p = fieldProtector({ keys: memoryKeyProvider(), store: memoryKeyStore() });
  await p.encrypt('warm', ctx);
  await p.blindIndex('warm', { tenantId: 'acme', field: 'email' });
  return p;
}

let schema = '';
let pool: Pool | undefined;
async function database() {
  pool ??= await newPool();
  schema ||= `bench_protect_${randomBytes(4).toString('hex')}`;
  return { pool, schema };
}
async function dropDatabase() {
  if (!pool) return;
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  pool = undefined;
  schema = '';
}

/**
 * Seals `n` audit events for `subject` (three personal fields each) into the PostgreSQL audit
 * table, then times erase() of that subject, checks every event now reads [ERASED] and the
 * chain still verifies. Returns the erasure time in ms.
 */
async function eraseWithEvents(
  protect: FieldProtector,
  store: ReturnType<typeof postgresStore>,
  subject: string,
  n: number,
) {
  const audit = auditTrail({ store, log: false, shutdown: false, queue: { max: 20_000 } });
  for (let i = 0; i < n; i++) {
    const input = {
      action: 'profile.update',
      tenantId: 'bench',
      actor: { type: 'user' as const, id: subject },
      changes: { after: { name: `${subject} ${i}`, email: `${subject}@example.com` } },
      metadata: { email: `${subject}@example.com`, i },
    };
    audit.record(
      await sealAuditInput(protect, input, {
        subjectId: subject,
        paths: ['metadata.email', 'changes.after.name', 'changes.after.email'],
      }),
    );
  }
  await audit.flush();
  const t0 = performance.now();
  await protect.erase({ tenantId: 'bench', subjectId: subject });
  const ms = performance.now() - t0;
  let erased = 0;
  for await (const e of store.export({ tenantId: 'bench' })) {
    if (e.actor.id !== subject) continue;
    const opened = await openAuditEvent(protect, e);
    if (opened.value.metadata.email === ERASED && opened.erased.length === 3) erased++;
  }
  const verified = await audit.verify({ tenantId: 'bench' });
  await audit.close();
  if (erased !== n || !verified.ok)
    throw new Error(`erasure check failed: ${erased}/${n} erased, verify ${verified.ok}`);
  return ms;
}

let shown = false;
/** Once per run: erasure of subjects with 10 and 10,000 sealed events, timed, checked and printed. */
async function showConstantErasure() {
  if (shown) return;
  shown = true;
  const { pool, schema } = await database();
  const store = postgresStore({ client: pool, schema });
  await store.migrate();
  const keys = postgresKeyStore({ client: pool, schema, table: 'once_keys' });
  await keys.migrate();
  const protect = fieldProtector({ keys: memoryKeyProvider(), store: keys });
  const small = await eraseWithEvents(protect, store, 'small-subject', 10);
  const big = await eraseWithEvents(protect, store, 'big-subject', EVENTS);
  log(
    `  erasure (PostgreSQL key store + audit table): subject with 10 events ${small.toFixed(2)} ms, with ${EVENTS.toLocaleString('en-US')} events ${big.toFixed(2)} ms; all events read [ERASED], verify ok`,
  );
  await store.close();
}

let next = 0;
const POOL_STEP = 5_000;
/** Inserts `POOL_STEP` subjects' data keys in one statement (what erase destroys; their content is never unwrapped). */
async function addSubjects(client: SqlClient, table: string, from: number) {
  await client.query(
    `INSERT INTO ${table} (key_id, version, tenant_id, purpose, subject_id, kek_id, wrapped)
     SELECT 'k' || g, 1, 'bench', 'data', 's' || g, 'dev-1', md5(g::text) FROM generate_series($1::int, $2::int) g`,
    [from, from + POOL_STEP - 1],
  );
}

export default defineMicroSuite({
  name: 'protect',
  description:
    'field encryption and erasure: seal/open one field, blind index, an audit input with 3 personal fields, vs raw node:crypto; erasure by key destruction vs rewriting a subject’s 10,000 audit rows',
  cases: [
    {
      name: 'floor: raw AES-256-GCM seal',
      group: 'seal one field',
      baseline: true,
      setup: () => rawSeal,
    },
    {
      name: 'ours: protect.encrypt (key cached)',
      group: 'seal one field',
      setup: async () => {
        const p = await warmProtector();
        return () => p.encrypt('ada.lovelace@example.com', ctx);
      },
    },
    {
      name: 'floor: raw AES-256-GCM open',
      group: 'open one field',
      baseline: true,
      setup: () => () => {
        const d = createDecipheriv('aes-256-gcm', key, sealedRaw.iv);
        d.setAAD(aad);
        d.setAuthTag(sealedRaw.tag);
        return Buffer.concat([d.update(sealedRaw.body), d.final()]);
      },
    },
    {
      name: 'ours: protect.decrypt (key cached)',
      group: 'open one field',
      setup: async () => {
        const p = await warmProtector();
        const sealed = await p.encrypt('ada.lovelace@example.com', ctx);
        return () => p.decrypt(sealed, ctx);
      },
      verify: async (op) => {
        if ((await op()) !== 'ada.lovelace@example.com')
          throw new Error('decrypt returned something else');
      },
    },
    {
      name: 'floor: raw HMAC-SHA256',
      group: 'blind index',
      baseline: true,
      setup: () => () => createHmac('sha256', key).update('email\u0000ada@example.com').digest(),
    },
    {
      name: 'ours: protect.blindIndex',
      group: 'blind index',
      setup: async () => {
        const p = await warmProtector();
        return () => p.blindIndex('ada@example.com', { tenantId: 'acme', field: 'email' });
      },
    },
    {
      name: 'floor: 3 raw seals',
      group: 'audit input, 3 personal fields',
      baseline: true,
      setup: () => () => [rawSeal(), rawSeal(), rawSeal()],
    },
    {
      name: 'ours: sealAuditInput',
      group: 'audit input, 3 personal fields',
      setup: async () => {
        const p = await warmProtector();
        const input = {
          action: 'profile.update',
          tenantId: 'acme',
          changes: { after: { name: 'Ada Lovelace', email: 'ada@example.com', plan: 'pro' } },
          metadata: { email: 'ada@example.com' },
        };
        const paths = ['metadata.email', 'changes.after.name', 'changes.after.email'];
        return () => sealAuditInput(p, input, { subjectId: 'u42', paths });
      },
    },
    {
      name: `floor: rewrite a subject's ${EVENTS.toLocaleString('en-US')} audit rows in place`,
      group: 'erase one subject (PostgreSQL)',
      baseline: true,
      setup: async () => {
        const { pool, schema } = await database();
        const t = `"${schema}".rewrite_rows`;
        await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await pool.query(
          `CREATE TABLE IF NOT EXISTS ${t} (id int PRIMARY KEY, subject text, data jsonb)`,
        );
        await pool.query(`CREATE INDEX IF NOT EXISTS rewrite_subject ON ${t} (subject)`);
        await pool.query(
          `INSERT INTO ${t} SELECT g, 'big', jsonb_build_object('metadata', jsonb_build_object('email', 'big@example.com', 'i', g)) FROM generate_series(1, ${EVENTS}) g ON CONFLICT DO NOTHING`,
        );
        return () =>
          pool.query(
            `UPDATE ${t} SET data = jsonb_set(data, '{metadata,email}', '"[ERASED]"') WHERE subject = 'big'`,
          );
      },
    },
    {
      name: 'ours: protect.erase (destroy the key)',
      group: 'erase one subject (PostgreSQL)',
      setup: async () => {
        const { pool, schema } = await database();
        const keys = postgresKeyStore({ client: pool, schema });
        await keys.migrate();
        const protect = fieldProtector({ keys: memoryKeyProvider(), store: keys });
        const table = `"${schema}".platform_data_keys`;
        let stocked = 0;
        return async () => {
          if (next >= stocked) {
            await addSubjects(pool, table, stocked);
            stocked += POOL_STEP;
          }
          const r = await protect.erase({ tenantId: 'bench', subjectId: `s${next++}` });
          if (r.destroyed !== 1) throw new Error(`expected one key destroyed, got ${r.destroyed}`);
        };
      },
      verify: async (op) => {
        await showConstantErasure();
        await op();
      },
      teardown: dropDatabase,
    },
  ],
});
