import { describe, expect, it } from 'vitest';
import { localize, parseAcceptLanguage } from './messages.js';

describe('parseAcceptLanguage', () => {
  it('orders by q, then by position, dropping *, q=0 and junk', () => {
    expect(parseAcceptLanguage('fr;q=0.5, de-AT, en;q=0.8, *;q=0.1, xx;q=0, <script>')).toEqual([
      'de-AT',
      'en',
      'fr',
    ]);
  });

  it('handles absent and oversized headers', () => {
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage('en,'.repeat(5000)).length).toBeLessThanOrEqual(20);
  });
});

describe('localize', () => {
  const entry = { en: 'Not found', de: 'Nicht gefunden', 'pt-BR': 'Não encontrado' };

  it('prefers the exact tag, then the primary language', () => {
    expect(localize(entry, ['pt-BR'])).toBe('Não encontrado');
    expect(localize(entry, ['de-AT'])).toBe('Nicht gefunden');
    expect(localize(entry, ['pt'])).toBe('Não encontrado');
    expect(localize(entry, ['fr', 'en'])).toBe('Not found');
    expect(localize(entry, ['fr'])).toBeUndefined();
  });

  it('returns plain strings as they are', () => {
    expect(localize('Hi', ['fr'])).toBe('Hi');
    expect(localize(undefined, ['fr'])).toBeUndefined();
  });
});
