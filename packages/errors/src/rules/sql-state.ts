import { ConflictError, DatabaseError, TimeoutError, ValidationError } from '../errors.js';
import type { PlatformError } from '../platform-error.js';
import type { Loose } from '../shape.js';

const SQLSTATE = /^[0-9A-Z]{5}$/;
const UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * PostgreSQL errors (`pg`, PGlite, postgres.js) by SQLSTATE. They are recognised by
 * shape: a 5-character `code` next to a `severity` field.
 */
export function fromSqlState(e: Loose): PlatformError | undefined {
  const { code } = e;
  if (typeof code !== 'string' || !SQLSTATE.test(code) || typeof e.severity !== 'string') {
    return undefined;
  }
  const cause = e;
  switch (code) {
    case '23505':
      return new ConflictError('A record with the same unique value already exists.', {
        code: 'unique_violation',
        cause,
      });
    case '23503':
      return new ValidationError(
        'The request refers to a record that does not exist or is still in use.',
        {
          code: 'foreign_key_violation',
          cause,
        },
      );
    case '23502':
      return new ValidationError('A required value is missing.', {
        code: 'not_null_violation',
        cause,
      });
    case '23514':
      return new ValidationError('A value is not allowed.', { code: 'check_violation', cause });
    case '40001':
    case '40P01':
      return new DatabaseError(undefined, {
        code: code === '40001' ? 'serialization_failure' : 'deadlock_detected',
        retryable: true,
        cause,
      });
    case '57014':
      return new TimeoutError(undefined, { code: 'query_canceled', severity: 'high', cause });
  }
  if (code.startsWith('22')) {
    return new ValidationError('A value has an invalid format or is out of range.', {
      code: 'invalid_data',
      cause,
    });
  }
  if (code.startsWith('08') || UNAVAILABLE.has(code)) {
    return new DatabaseError(undefined, {
      code: 'database_unavailable',
      status: 503,
      retryable: true,
      severity: 'critical',
      cause,
    });
  }
  return new DatabaseError(undefined, { cause });
}
