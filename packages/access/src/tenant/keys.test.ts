import { ValidationError } from '@platform/errors';
import { describe, expect, it } from 'vitest';
import { isTenantId, tenantId } from './ids.js';
import { tenantKey, tenantKeyWith, tenantPath } from './keys.js';
import { tenantPolicySql } from './postgres.js';

describe('tenant ids', () => {
  it('accepts plain ids and refuses separators, braces, dots-only and empty', () => {
    for (const ok of ['acme', 'a', 'tenant-42', 'eu.acme_1', 'A'.repeat(128)]) {
      expect(isTenantId(ok)).toBe(true);
    }
    for (const bad of [
      '',
      ' ',
      'a:b',
      'a/b',
      'a\\b',
      '{a}',
      '.',
      '..',
      '.hidden',
      'a b',
      'a\nb',
      'A'.repeat(129),
      42,
      undefined,
    ]) {
      expect(isTenantId(bad)).toBe(false);
    }
  });

  it('throws a 400 ValidationError naming the field', () => {
    const err = (() => {
      try {
        tenantId('a:b');
      } catch (e) {
        return e;
      }
    })() as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_tenant' });
    expect(err.message).toContain('"a:b"');
  });
});

describe('tenantKey', () => {
  it('namespaces Redis keys per tenant', () => {
    expect(tenantKey('acme', 'session', 'abc')).toBe('t:acme:session:abc');
    expect(tenantKey('acme', 'count', 7)).toBe('t:acme:count:7');
    expect(tenantKeyWith({ prefix: 'app:', hashTag: true }, 'acme', 'x')).toBe('app:{acme}:x');
  });

  it('cannot be steered into another tenant', () => {
    expect(() => tenantKey('acme:evil', 'x')).toThrow(ValidationError);
    expect(() => tenantKey('}x{', 'x')).toThrow(ValidationError);
    expect(() => tenantKey('acme')).toThrow(/key part/);
    expect(() => tenantKey('acme', '')).toThrow(/key part/);
  });
});

describe('tenantPath', () => {
  it('puts objects in the tenant folder', () => {
    expect(tenantPath('acme', 'invoices/2026/07.pdf')).toBe('tenants/acme/invoices/2026/07.pdf');
    expect(tenantPath('acme', 'a.b', 'data')).toBe('data/acme/a.b');
  });

  it('refuses traversal, absolute and odd paths', () => {
    for (const bad of [
      '../other/x',
      'a/../../b',
      '/abs',
      'a//b',
      'a/',
      '.',
      'a\\..\\b',
      'a/\u0000b',
      '',
    ]) {
      expect(() => tenantPath('acme', bad)).toThrow(ValidationError);
    }
    expect(() => tenantPath('../other', 'x')).toThrow(ValidationError);
  });
});

describe('tenantPolicySql', () => {
  it('quotes identifiers and casts the setting to the column type', () => {
    const sql = tenantPolicySql('notes', { schema: 'app', column: 'org_id', columnType: 'uuid' });
    expect(sql[0]).toBe('ALTER TABLE "app"."notes" ENABLE ROW LEVEL SECURITY');
    expect(sql[1]).toBe('ALTER TABLE "app"."notes" FORCE ROW LEVEL SECURITY');
    expect(sql[3]).toContain(
      `USING ("org_id" = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`,
    );
    expect(() => tenantPolicySql('notes; DROP TABLE x')).toThrow(/table/);
    expect(() => tenantPolicySql('notes', { columnType: 'text; --' as never })).toThrow(
      /columnType/,
    );
  });
});
