import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiKeyAdmin, apiKeys, memoryKeyStore } from '@platform/access';
import { type AuditTrail, auditTrail } from '@platform/audit';
import { postgresStore } from '@platform/audit/postgres';
import { neutralRequest } from '@platform/core';
import { costControl, memoryStore as costMemory } from '@platform/cost';
import {
  createFlags,
  defineFlags,
  flagAuditEvent,
  memoryStore as flagMemory,
  flagOperations,
} from '@platform/flags';
import { createSecurityHeaders } from '@platform/headers';
import {
  fieldProtector,
  memoryKeyProvider,
  memoryKeyStore as protectKeys,
} from '@platform/protect';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformCollectors } from '../src/collectors/platform.js';
import { evidencePack } from '../src/pack/generate.js';
import { loadTemplates } from '../src/templates/load.js';
import { cli } from './cli-support.js';

/** Debian's poppler-utils: skipped with the reason when missing, except under CI=true (`.ci/run` installs it). */
const pdftotextPath = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p));
const skipPdf = !pdftotextPath && process.env.CI !== 'true';
const pdfWhy = skipPdf
  ? ' (skipped: pdftotext is not installed; apt-get install -y poppler-utils)'
  : '';
async function pdfText(file: string): Promise<string> {
  if (!pdftotextPath)
    throw new Error('CI=true but pdftotext is missing: apt-get install -y poppler-utils');
  return (await promisify(execFile)(pdftotextPath, ['-layout', file, '-'])).stdout;
}

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `evidence_demo_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
const dir = mkdtempSync(join(tmpdir(), 'evidence-demo-'));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const pub = join(dir, 'evidence.pub.pem');
writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
const auditKey = generateKeyPairSync('ed25519').privateKey;
const ledger = costMemory();
const flagStore = flagMemory();
let trail: AuditTrail;
let server: Server;
let appUrl: string;
const period = {
  from: new Date(Date.now() - 30 * 86_400_000),
  to: new Date(Date.now() + 3_600_000),
};

/** The seeded demo tenant: admin and key changes, a flag change, privacy requests, AI calls. */
async function seed() {
  const store = postgresStore({ client: pool, schema });
  await store.migrate();
  trail = auditTrail({
    store,
    log: false,
    shutdown: false,
    signing: { privateKey: auditKey, keyId: 'audit-1' },
    checkpoint: { everyEvents: 3 },
  });
  const admin = { type: 'user' as const, id: 'u-admin' };
  trail.record({
    action: 'role.grant',
    tenantId: 'demo',
    actor: admin,
    targets: [{ type: 'user', id: 'u-ada' }],
    changes: { before: ['member'], after: ['member', 'admin'] },
  });
  /** An admin action on the demo tenant. */
  const byAdmin = (action: string, type: string, id: string) =>
    trail.record({ action, tenantId: 'demo', actor: admin, targets: [{ type, id }] });
  // API keys through @platform/access' admin API, which records api_key.* itself
  const keys = apiKeys({ store: memoryKeyStore(), shutdown: false });
  const keyAdmin = apiKeyAdmin({ keys, audit: trail, authorize: () => true });
  const call = async (method: string, url: string, body?: unknown) => {
    const answer = await keyAdmin(neutralRequest({ method, url, header: () => undefined, body }));
    return JSON.parse(String(answer?.body)) as { id: string };
  };
  const { id } = await call('POST', '/', {
    name: 'etl',
    tenantId: 'demo',
    scopes: ['reports:read'],
  });
  await call('POST', `/${id}/rotate`, {});
  await keys.close();
  byAdmin('privacy.subject.export', 'subject', 'u-bob');
  // the erasure through @platform/protect (crypto-shredding), which records privacy.subject.erase
  const protect = fieldProtector({ keys: memoryKeyProvider(), store: protectKeys(), audit: trail });
  await protect.encrypt('bob@example.com', {
    tenantId: 'demo',
    subjectId: 'u-bob',
    aad: 'users/u-bob/email',
  });
  await protect.erase({ tenantId: 'demo', subjectId: 'u-bob', reason: 'GDPR Art. 17, ticket 7' });
  trail.record({ action: 'invoice.create', tenantId: 'other', actor: { type: 'user', id: 'u-x' } });

  const flags = createFlags({
    definitions: defineFlags({ newCheckout: { type: 'boolean', default: false, kind: 'release' } }),
    store: flagStore,
    shutdown: false,
    onChange: (change) => {
      trail.record({ ...flagAuditEvent(change), tenantId: 'demo' });
    },
  });
  await flags.ready();
  const ops = flagOperations(flags);
  await ops.create(
    { key: 'newCheckout', serve: { variant: 'off' }, variants: { on: true, off: false } },
    'u-admin',
  );
  await ops.setTenantOverride('newCheckout', 'demo', { serve: { variant: 'on' } }, 'u-admin');
  await flags.close();

  const cost = costControl({ store: ledger, shutdown: false });
  for (const [model, input, output] of [
    ['gpt-5-mini', 1200, 300],
    ['gpt-5-mini', 800, 200],
    ['claude-opus-4-5', 2000, 500],
  ] as const) {
    const a = await cost.admit({
      tenant: 'demo',
      user: 'u-ada',
      model,
      inputTokens: input,
      maxOutputTokens: output,
    });
    await a.settle({
      usage: {
        inputTokens: input,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: output,
        reasoningTokens: 0,
      },
    });
  }
  await cost.close();
  await trail.flush();

  const secure = createSecurityHeaders({ preset: 'html' });
  server = createServer((_req, res) => {
    secure.apply(res);
    res.end('<p>demo</p>');
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const sources = () => ({
  audit: trail,
  flags: flagStore,
  ledger,
  headers: { targets: [{ name: 'app', url: appUrl, https: true }] },
  rateLimits: {
    api: { limit: 100, window: '1m', by: ['user'] },
    login: { limit: 5, window: '15m', by: ['ip'] },
  },
  retention: { auditRetentionDays: 2555, legalHolds: [] },
  processingRecords: {
    controller: { name: 'Demo GmbH', contact: 'privacy@demo.test' },
    activities: [
      {
        name: 'Customer accounts',
        purposes: ['contract'],
        dataSubjects: ['customers'],
        personalData: ['email'],
        retention: '7 years after account closure',
      },
    ],
  },
});

beforeAll(seed, 60_000);
afterAll(async () => {
  server?.close();
  await trail?.close();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

describe('evidence pack for a seeded demo tenant (PostgreSQL audit)', { timeout: 120_000 }, () => {
  let demoPack: string;

  it('collects every source and the CLI verifies the archive', async () => {
    const pack = await evidencePack({
      period,
      tenant: 'demo',
      collectors: platformCollectors(sources()),
      templates: loadTemplates(['soc2', 'iso27001', 'gdpr-art30', 'eu-ai-act']),
      signingKey: privateKey,
      keyId: 'evidence-2026',
      title: 'Demo GmbH evidence pack',
      out: join(dir, 'demo.tar.gz'),
    });
    const status = Object.fromEntries(
      pack.collectors.map((c) => [c.id, [c.status, c.summary ?? c.reason]]),
    );
    expect(status).toEqual({
      'audit-chain': [
        'collected',
        '1 tenant chain(s) verified, 0 broken; 7 event(s) in the period',
      ],
      'access-changes': [
        'collected',
        '1 event(s) matching role.*, permission.*, member.*, user.role.*, user.create, user.delete, user.disable, session.revoke',
      ],
      'api-keys': ['collected', '2 event(s) matching api_key.*'],
      'flag-changes': [
        'collected',
        "2 flag change event(s) in the audit trail; 2 change record(s) in the flag store's history",
      ],
      'security-headers': ['collected', 'app A+ (135)'],
      'rate-limits': ['collected', '6 setting(s)'],
      retention: ['collected', '2 setting(s); 0 purge(s) in the period'],
      'privacy-requests': ['collected', '2 event(s) matching privacy.*'],
      'ai-usage': [
        'collected',
        expect.stringMatching(/^3 call\(s\) on 2 model\(s\), 5000 tokens, USD \d+\.\d{6}$/),
      ],
      'processing-records': ['collected', '1 processing activit(ies) of Demo GmbH'],
    });
    expect(pack.controls.every((c) => c.status === 'collected')).toBe(true);
    const cc81 = pack.controls.find((c) => c.controlId === 'CC8.1');
    expect(cc81?.files).toEqual(
      expect.arrayContaining([
        'evidence/flag-changes/flag-history.csv',
        'evidence/access-changes/access-changes.csv',
      ]),
    );

    const { readPack } = await import('../src/pack/generate.js');
    const files = new Map(
      (await readPack(pack.path)).map((e) => [e.path, Buffer.from(e.data).toString()]),
    );
    const privacy = files.get('evidence/privacy-requests/privacy-requests.csv') ?? '';
    expect(privacy).toMatch(
      /privacy\.subject\.erase,success,[^,]*,[^,]*,subject:u-bob,"GDPR Art\. 17, ticket 7"/,
    );
    expect(privacy).toContain('privacy.subject.export,success');
    const ok = await cli('verify', pack.path, '--public-key', pub);
    expect(ok.code, ok.out).toBe(0);

    demoPack = pack.path;
  });

  it.skipIf(skipPdf)(`its PDF summary holds the control table${pdfWhy}`, async () => {
    const pdf = join(dir, 'summary.pdf');
    const { readPack } = await import('../src/pack/generate.js');
    writeFileSync(pdf, (await readPack(demoPack)).find((e) => e.path === 'summary.pdf')!.data);
    const text = await pdfText(pdf);
    expect(text).toContain('Demo GmbH evidence pack');
    expect(text).toMatch(/Control\s+Title\s+Status\s+Evidence files\s+Notes/);
    expect(text).toMatch(
      /CC6\.1\s+Logical access controls\s+collected\s+evidence\/api-keys\/api-keys\.json/,
    );
    expect(text).toMatch(
      /A\.8\.15\s+Logging\s+collected\s+evidence\/audit-chain\/audit-chain\.json/,
    );
    expect(text).toMatch(/Art\.17\s+Erasure requests\s+collected/);
    expect(text).toMatch(/Art\.50\s+Transparency towards people\s+collected/);
    expect(text).toContain('Tenant: demo');
  });

  it('shows a tampered audit row as a control needing attention, in the data and the PDF', async () => {
    await pool.query(
      `UPDATE "${schema}".audit_events SET actor_id = 'mallory' WHERE tenant_id = 'demo' AND seq = 2`,
    );
    const pack = await evidencePack({
      period,
      tenant: 'demo',
      collectors: platformCollectors({ ...sources(), headers: undefined }),
      signingKey: privateKey,
      out: join(dir, 'after-tamper'),
    });
    const chain = pack.collectors.find((c) => c.id === 'audit-chain');
    expect(chain?.findings).toEqual([
      { ok: false, detail: expect.stringMatching(/^demo: chain broken at seq 2 \(edited\)/) },
    ]);
    const byId = Object.fromEntries(
      pack.controls.map((c) => [`${c.templateId}:${c.controlId}`, c.status]),
    );
    expect(byId['soc2:CC7.3']).toBe('attention');
    expect(byId['iso27001:A.8.15']).toBe('attention');
    expect(byId['soc2:CC6.6']).toBe('partial'); // headers not configured this time: rate limits only
    expect(byId['soc2:CC6.7']).toBe('not-collected');
    expect((await cli('verify', pack.path, '--public-key', pub)).code).toBe(0); // the pack itself is intact
    if (!skipPdf)
      expect(await pdfText(join(pack.path, 'summary.pdf'))).toMatch(
        /CC7\.3\s+Evaluating security events\s+attention/,
      );
    expect(readFileSync(join(pack.path, 'controls.csv'), 'utf8')).toContain(
      'SOC 2,CC7.3,Evaluating security events,attention',
    );
  });
});
