import { counter } from '@platform/core';

const unwraps = counter({
  name: 'platform_protect_key_unwraps_total',
  help: 'Data keys unwrapped through the key provider (cache misses; a KMS call each with a remote provider).',
});
const openFailures = counter({
  name: 'platform_protect_open_failures_total',
  help: 'Sealed values that did not open, by code: ciphertext_malformed, ciphertext_rejected, key_not_found, tenant_mismatch, subject_erased.',
  labelNames: ['code'],
});
const erasures = counter({
  name: 'platform_protect_erasures_total',
  help: 'Subject erasures by outcome: erased, or refused (legal_hold).',
  labelNames: ['outcome'],
});

export const keyUnwrapped = () => unwraps.inc();
export const openFailed = (code: string) => openFailures.inc({ code });
export const erasureDone = (outcome: 'erased' | 'legal_hold') => erasures.inc({ outcome });
