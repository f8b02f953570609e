import { InternalError, ValidationError } from './errors.js';
import { isPlatformError, type PlatformError, type ValidationIssue } from './platform-error.js';
import { fromAiProvider } from './rules/ai-provider.js';
import {
  fromBodyParser,
  fromFastify,
  fromHono,
  fromHttpError,
  fromTaggedBuiltin,
} from './rules/http.js';
import { fromNetwork } from './rules/network.js';
import { fromSqlState } from './rules/sql-state.js';
import { isObject, type Loose } from './shape.js';

const MAX_ISSUES = 100;

function pathOf(path: unknown): string {
  if (!Array.isArray(path)) return '';
  return path
    .map((p) => (typeof p === 'symbol' ? (p.description ?? '') : String(p)))
    .join('.')
    .slice(0, 500);
}

/** zod 4 and zod 3 `ZodError`s: `name` plus an `issues` array. */
function fromZod(e: Loose): PlatformError | undefined {
  if (e.name !== 'ZodError' || !Array.isArray(e.issues)) return undefined;
  const errors = e.issues.slice(0, MAX_ISSUES).map((raw: unknown): ValidationIssue => {
    const issue = isObject(raw) ? raw : {};
    const out: ValidationIssue = {
      path: pathOf(issue.path),
      message: typeof issue.message === 'string' ? issue.message.slice(0, 500) : 'is invalid',
    };
    if (typeof issue.code === 'string') out.code = issue.code;
    return out;
  });
  return new ValidationError(undefined, { errors, cause: e });
}

const RULES: ((e: Loose) => PlatformError | undefined)[] = [
  fromZod,
  fromSqlState,
  fromFastify,
  fromBodyParser,
  fromHono,
  fromHttpError,
  fromTaggedBuiltin,
  fromAiProvider,
];

/**
 * Turns anything thrown into a PlatformError, by the error's structure (class shape,
 * `code`, `status`), never by its message. A PlatformError passes through unchanged;
 * otherwise the original is kept as `cause`, and anything unknown becomes `internal` (500).
 *
 * @example
 * const err = categorize(caught); // e.g. pg 23505 -> ConflictError { code: 'unique_violation', status: 409 }
 */
export function categorize(value: unknown): PlatformError {
  try {
    if (isPlatformError(value)) return value;
    if (isObject(value)) {
      for (const rule of RULES) {
        const found = rule(value);
        if (found) return found;
      }
    }
    return fromNetwork(value) ?? new InternalError(undefined, { cause: value });
  } catch {
    // a hostile getter or Proxy on the thrown value must not turn into a second error
    return new InternalError(undefined, { cause: value });
  }
}
