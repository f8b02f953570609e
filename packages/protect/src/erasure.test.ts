import { describe, expect, it } from 'vitest';
import { LegalHoldError, SubjectErasedError } from './errors.js';
import { memoryKeyProvider } from './keys/provider.js';
import type { AuditSink } from './options.js';
import { fieldProtector } from './protector.js';
import { memoryKeyStore } from './stores/memory.js';

function recorder() {
  const events: Parameters<AuditSink['record']>[0][] = [];
  return { events, record: (e: (typeof events)[0]) => events.push(e) };
}

describe('erase (crypto-shredding)', () => {
  it('makes one subject’s values unreadable, leaves the others, refuses new writes, and is audited', async () => {
    const audit = recorder();
    const store = memoryKeyStore();
    const p = fieldProtector({ keys: memoryKeyProvider(), store, audit });
    const ctx = (subjectId: string) => ({
      tenantId: 'acme',
      subjectId,
      aad: `users/${subjectId}/email`,
    });
    const a1 = await p.encrypt('a@example.com', ctx('a'));
    await p.rotate({ tenantId: 'acme', subjectId: 'a' });
    const a2 = await p.encrypt('a2@example.com', ctx('a'));
    const b = await p.encrypt('b@example.com', ctx('b'));
    const tenantWide = await p.encrypt('shared', { tenantId: 'acme', aad: 't' });

    const result = await p.erase({
      tenantId: 'acme',
      subjectId: 'a',
      reason: 'GDPR Art. 17 ticket 7',
    });
    expect(result).toMatchObject({ tenantId: 'acme', subjectId: 'a', destroyed: 2 });

    for (const sealed of [a1, a2]) {
      const error = await p.decrypt(sealed, ctx('a')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SubjectErasedError);
      expect(error).toMatchObject({ status: 410, code: 'subject_erased' });
    }
    expect(await p.decrypt(b, ctx('b'))).toBe('b@example.com');
    expect(await p.decrypt(tenantWide, { tenantId: 'acme', aad: 't' })).toBe('shared');
    await expect(p.encrypt('again', ctx('a'))).rejects.toBeInstanceOf(SubjectErasedError);
    await expect(p.rotate({ tenantId: 'acme', subjectId: 'a' })).rejects.toBeInstanceOf(
      SubjectErasedError,
    );

    expect(audit.events).toEqual([
      expect.objectContaining({
        action: 'privacy.subject.erase',
        crud: 'd',
        outcome: 'success',
        tenantId: 'acme',
        reason: 'GDPR Art. 17 ticket 7',
        targets: [{ type: 'subject', id: 'a' }],
        metadata: expect.objectContaining({ method: 'crypto-shredding', keyVersionsDestroyed: 2 }),
      }),
    ]);
    // erasing again is harmless
    expect((await p.erase({ tenantId: 'acme', subjectId: 'a' })).destroyed).toBe(0);
  });

  it('is refused under legal hold (tenant list, subject, or callback) with a clear, audited error', async () => {
    for (const holds of [
      ['acme'],
      [{ tenantId: 'acme', subjectId: 'a' }],
      ({ subjectId }: { subjectId: string }) => subjectId === 'a',
    ]) {
      const audit = recorder();
      const p = fieldProtector({
        keys: memoryKeyProvider(),
        store: memoryKeyStore(),
        holds,
        audit,
      });
      const sealed = await p.encrypt('a@example.com', {
        tenantId: 'acme',
        subjectId: 'a',
        aad: 'x',
      });
      const error = await p.erase({ tenantId: 'acme', subjectId: 'a' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LegalHoldError);
      expect(error).toMatchObject({
        status: 409,
        code: 'legal_hold',
        message: expect.stringMatching(/under legal hold/),
      });
      expect(await p.decrypt(sealed, { tenantId: 'acme', aad: 'x' })).toBe('a@example.com');
      expect(audit.events).toEqual([
        expect.objectContaining({
          outcome: 'failure',
          metadata: expect.objectContaining({ refused: 'legal-hold' }),
        }),
      ]);
    }
    const p = fieldProtector({
      keys: memoryKeyProvider(),
      store: memoryKeyStore(),
      holds: [{ tenantId: 'acme', subjectId: 'a' }],
    });
    await expect(p.erase({ tenantId: 'acme', subjectId: 'b' })).resolves.toMatchObject({
      destroyed: 0,
    });
    await expect(p.erase({ tenantId: 'acme', subjectId: '' })).rejects.toMatchObject({
      status: 400,
    });
  });
});
