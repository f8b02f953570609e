import { parseOptions } from '@platform/core';
import { z } from 'zod';
import { CATEGORIES, CATEGORY_NAMES, type ErrorCategory, type Severity } from './categories.js';

/** One field-level problem of a validation error. */
export interface ValidationIssue {
  /** Dotted path of the field (`items.0.sku`); empty for the whole input. */
  path: string;
  message: string;
  code?: string;
}

/** A stable, URL-safe error code: it becomes the last segment of the problem `type` URI. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const issueSchema = z.object({
  path: z.string().max(500),
  message: z.string().max(2000),
  code: z.string().max(100).optional(),
});

const optionsSchema = z.strictObject({
  category: z.enum(CATEGORY_NAMES as [ErrorCategory, ...ErrorCategory[]]).optional(),
  code: z.string().regex(CODE_PATTERN, 'must match [A-Za-z0-9][A-Za-z0-9._-]{0,99}').optional(),
  status: z.number().int().min(400).max(599).optional(),
  severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  expose: z.boolean().optional(),
  retryable: z.boolean().optional(),
  retryAfter: z.number().finite().min(0).max(31_536_000).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(issueSchema).max(1000).optional(),
  cause: z.unknown().optional(),
});

export interface PlatformErrorOptions {
  /** Defaults to `internal` (or the subclass's category). */
  category?: ErrorCategory;
  /** Stable machine-readable code; defaults to the category. */
  code?: string;
  /** HTTP status (400-599); defaults per category. */
  status?: number;
  severity?: Severity;
  /** Whether `message` may be shown to clients; defaults to `status < 500`. */
  expose?: boolean;
  /** Whether trying again later may succeed. */
  retryable?: boolean;
  /** Seconds the client should wait before retrying (sent as `Retry-After`). */
  retryAfter?: number;
  /** Safe extension members, copied into the problem body as they are. */
  details?: Record<string, unknown>;
  /** Field-level validation issues. */
  errors?: ValidationIssue[];
  cause?: unknown;
}

const BRAND = Symbol.for('@platform/errors.PlatformError');
const DEFAULT_MESSAGE = Symbol.for('@platform/errors.defaultMessage');

/**
 * An error that knows how it should be answered: category, stable code, HTTP status,
 * severity, whether its message may reach the client and whether a retry may help.
 *
 * @example
 * throw new PlatformError('Order 42 is already shipped', { category: 'conflict', code: 'order_shipped' });
 */
export class PlatformError extends Error {
  override name = 'PlatformError';
  readonly category: ErrorCategory;
  readonly code: string;
  readonly status: number;
  readonly severity: Severity;
  readonly expose: boolean;
  readonly retryable: boolean;
  readonly retryAfter?: number;
  readonly details: Record<string, unknown>;
  readonly errors?: ValidationIssue[];
  declare readonly cause?: unknown;

  constructor(message?: string, options?: PlatformErrorOptions) {
    const opts = parseOptions(optionsSchema, options, 'PlatformError');
    const category = opts.category ?? 'internal';
    const defaults = CATEGORIES[category];
    super(message ?? defaults.detail, 'cause' in opts ? { cause: opts.cause } : undefined);
    this.category = category;
    this.code = opts.code ?? category;
    this.status = opts.status ?? defaults.status;
    this.severity = opts.severity ?? defaults.severity;
    this.expose = opts.expose ?? this.status < 500;
    this.retryable = opts.retryable ?? defaults.retryable;
    if (opts.retryAfter !== undefined) this.retryAfter = opts.retryAfter;
    this.details = opts.details ?? {};
    if (opts.errors) this.errors = opts.errors;
    Object.defineProperty(this, BRAND, { value: true });
    if (message === undefined) Object.defineProperty(this, DEFAULT_MESSAGE, { value: true });
  }
}

/** True for any PlatformError, also one created by another copy of this package (ESM and CJS). */
export function isPlatformError(value: unknown): value is PlatformError {
  return (
    value instanceof PlatformError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true)
  );
}

/** True when the error was created without its own message (it carries the category's wording). */
export function hasDefaultMessage(err: PlatformError): boolean {
  return (err as unknown as Record<symbol, unknown>)[DEFAULT_MESSAGE] === true;
}
