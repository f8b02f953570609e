import { describe, expect, it } from 'vitest';
import { crudOf } from './schema.js';

describe('crudOf', () => {
  it('reads the verb table by own keys only: Object.prototype names are plain verbs', () => {
    expect(crudOf('invoice.delete')).toBe('d');
    expect(crudOf('invoice.constructor')).toBe('u');
    expect(crudOf('invoice.toString')).toBe('u');
    expect(crudOf('invoice.__proto__')).toBe('u');
  });
});
