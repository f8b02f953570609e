import { runWithContext } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { memoryKeyProvider } from '../keys/provider.js';
import { fieldProtector } from '../protector.js';
import { memoryKeyStore } from '../stores/memory.js';
import { openAuditEvent, sealAuditInput } from './audit.js';
import { ERASED } from './fields.js';

const protect = () => fieldProtector({ keys: memoryKeyProvider(), store: memoryKeyStore() });

const usage = {
  id: 'rec-1',
  tenant: 'acme',
  user: { id: 'u1', email: 'ada@example.com', phone: '+44 20 7946 0000' },
  model: 'gpt-4o-mini',
  notes: [{ text: 'prompt about Ada' }, { text: 'second' }],
  tokens: 120,
};

describe('encryptFields / decryptFields', () => {
  it('seals only the paths named (with * over arrays), and opens them back', async () => {
    const p = protect();
    const ctx = { tenantId: 'acme', subjectId: 'u1', aad: 'usage/rec-1' };
    const sealed = await p.encryptFields(usage, {
      ...ctx,
      paths: ['user.email', 'user.phone', 'notes.*.text', 'missing.path'],
    });
    expect(sealed.user.id).toBe('u1');
    expect(sealed.model).toBe('gpt-4o-mini');
    expect(sealed.tokens).toBe(120);
    expect(sealed.user.email.startsWith('pe1.')).toBe(true);
    expect(sealed.notes[1]?.text.startsWith('pe1.')).toBe(true);
    expect(JSON.stringify(sealed)).not.toMatch(/ada@|7946|Ada/);
    expect(usage.user.email).toBe('ada@example.com'); // the input is not touched
    expect('missing' in sealed).toBe(false);
    // sealing again leaves sealed values as they are
    expect(await p.encryptFields(sealed, { ...ctx, paths: ['user.email'] })).toEqual(sealed);
    const opened = await p.decryptFields(sealed, { tenantId: 'acme', aad: 'usage/rec-1' });
    expect(opened).toEqual({ value: usage, erased: [] });
    const some = await p.decryptFields(sealed, {
      tenantId: 'acme',
      aad: 'usage/rec-1',
      paths: ['user.email'],
    });
    expect(some.value.user.email).toBe('ada@example.com');
    expect(some.value.user.phone.startsWith('pe1.')).toBe(true);
  });

  it('binds each field to its row and path: moved fields do not open', async () => {
    const p = protect();
    const sealed = await p.encryptFields(usage, {
      tenantId: 'acme',
      aad: 'usage/rec-1',
      paths: ['user.email', 'user.phone'],
    });
    const swapped = {
      ...sealed,
      user: { ...sealed.user, email: sealed.user.phone, phone: sealed.user.email },
    };
    await expect(
      p.decryptFields(swapped, { tenantId: 'acme', aad: 'usage/rec-1' }),
    ).rejects.toMatchObject({ code: 'ciphertext_rejected' });
    await expect(
      p.decryptFields(sealed, { tenantId: 'acme', aad: 'usage/rec-2' }),
    ).rejects.toMatchObject({ code: 'ciphertext_rejected' });
  });

  it('reads an erased subject’s fields as [ERASED] and lists them', async () => {
    const p = protect();
    const sealed = await p.encryptFields(usage, {
      tenantId: 'acme',
      subjectId: 'u1',
      aad: 'usage/rec-1',
      paths: ['user.email', 'notes.*.text'],
    });
    await p.erase({ tenantId: 'acme', subjectId: 'u1' });
    const opened = await p.decryptFields(sealed, { tenantId: 'acme', aad: 'usage/rec-1' });
    expect(opened.erased).toEqual(['user.email', 'notes.0.text', 'notes.1.text']);
    expect(opened.value.user.email).toBe(ERASED);
    expect(opened.value.user.phone).toBe(usage.user.phone);
  });
});

describe('sealAuditInput / openAuditEvent', () => {
  it('gives the input an id and the context tenant, and binds fields to that event id', async () => {
    const p = protect();
    const seal = () =>
      sealAuditInput(
        p,
        { action: 'user.update', metadata: { email: 'ada@example.com' } },
        { subjectId: 'u1', paths: ['metadata.email'] },
      );
    const input = await runWithContext({ requestId: 'r1', tenantId: 'acme' } as never, seal);
    expect(input.tenantId).toBe('acme');
    expect(input.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(input.metadata.email.startsWith('pe1.')).toBe(true);
    const opened = await openAuditEvent(p, input);
    expect(opened.value.metadata.email).toBe('ada@example.com');
    await expect(openAuditEvent(p, { ...input, id: crypto.randomUUID() })).rejects.toMatchObject({
      code: 'ciphertext_rejected',
    });
    await expect(sealAuditInput(p, { action: 'x.y' }, { paths: [] })).rejects.toMatchObject({
      errors: [{ path: 'tenantId' }],
    });
  });
});
