import { describeStatus } from '../categories.js';
import {
  createError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.js';
import type { PlatformError, ValidationIssue } from '../platform-error.js';
import { classNames, isHttpStatus, isObject, type Loose, retryAfterFrom } from '../shape.js';

/**
 * An error that already carries an HTTP status keeps it (and its `expose`); its own
 * message is shown only when exposed and `ownMessage` is left on.
 */
function fromStatus(
  status: number,
  cause: Loose,
  expose: boolean,
  headers?: unknown,
  ownMessage = expose,
): PlatformError {
  const { category, code, title } = describeStatus(status);
  const own = ownMessage && typeof cause.message === 'string' ? cause.message : '';
  // http-errors and boom default the message to the status text: keep our wording then
  const message = expose && own && own.toLowerCase() !== title.toLowerCase() ? own : undefined;
  return createError(category, message, {
    code,
    status,
    expose,
    retryAfter: retryAfterFrom(headers),
    cause,
  });
}

/** body-parser (`express.json()` and friends): http-errors with a `type`. */
export function fromBodyParser(e: Loose): PlatformError | undefined {
  if (!isHttpStatus(e.status) || typeof e.type !== 'string') return undefined;
  switch (e.type) {
    case 'entity.parse.failed':
      return new ValidationError('The request body could not be parsed.', {
        code: 'invalid_body',
        cause: e,
      });
    case 'entity.too.large':
      return new PayloadTooLargeError(undefined, { cause: e });
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError('The request body encoding is not supported.', {
        code: 'unsupported_encoding',
        cause: e,
      });
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('The request body charset is not supported.', {
        code: 'unsupported_charset',
        cause: e,
      });
  }
  return undefined;
}

function ajvIssue(item: unknown): ValidationIssue {
  const v = isObject(item) ? item : {};
  const base = typeof v.instancePath === 'string' ? v.instancePath : '';
  const params = isObject(v.params) ? v.params : {};
  const segments = base
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof params.missingProperty === 'string') segments.push(params.missingProperty);
  const issue: ValidationIssue = {
    path: segments.join('.'),
    message: typeof v.message === 'string' ? v.message.slice(0, 500) : 'is invalid',
  };
  if (typeof v.keyword === 'string') issue.code = v.keyword;
  return issue;
}

/** Fastify's own errors: schema validation and content-type parsing. */
export function fromFastify(e: Loose): PlatformError | undefined {
  const { code } = e;
  if (Array.isArray(e.validation) && (code === 'FST_ERR_VALIDATION' || 'validationContext' in e)) {
    return new ValidationError(undefined, {
      errors: e.validation.slice(0, 100).map(ajvIssue),
      cause: e,
    });
  }
  if (typeof code !== 'string' || !code.startsWith('FST_ERR_')) return undefined;
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new UnsupportedMediaTypeError(undefined, { cause: e });
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new PayloadTooLargeError(undefined, { cause: e });
  const status = isHttpStatus(e.statusCode) ? e.statusCode : undefined;
  if (code.startsWith('FST_ERR_CTP_') && (status === undefined || status < 500)) {
    return new ValidationError('The request body could not be parsed.', {
      code: 'invalid_body',
      cause: e,
    });
  }
  if (status !== undefined && status < 500) return fromStatus(status, e, true);
  return undefined;
}

/** http-errors (`status`/`statusCode` + `expose`) and boom (`isBoom` + `output.statusCode`). */
export function fromHttpError(e: Loose): PlatformError | undefined {
  if (e.isBoom === true && isObject(e.output) && isHttpStatus(e.output.statusCode)) {
    const status = e.output.statusCode;
    return fromStatus(status, e, status < 500, e.output.headers);
  }
  const status = isHttpStatus(e.status) ? e.status : e.statusCode;
  if (isHttpStatus(status) && typeof e.expose === 'boolean') {
    return fromStatus(status, e, e.expose, e.headers);
  }
  return undefined;
}

/**
 * Hono's `HTTPException` (thrown by its middleware, such as `bodyLimit`, and by apps):
 * its status is kept, its message shown below 500, and a `Retry-After` on its response kept.
 */
export function fromHono(e: Loose): PlatformError | undefined {
  if (!isHttpStatus(e.status) || typeof e.getResponse !== 'function') return undefined;
  if (!classNames(e).includes('HTTPException')) return undefined;
  const headers = isObject(e.res) ? e.res.headers : undefined;
  return fromStatus(e.status, e, e.status < 500, headers);
}

const BUILTIN_ERRORS = new Set(['URIError', 'SyntaxError', 'RangeError', 'TypeError']);

/**
 * A built-in JavaScript error that a framework tagged with a 4xx `status`/`statusCode`
 * but not http-errors' `expose`: Express's router rejects a malformed percent-encoded
 * route parameter with the URIError of `decodeURIComponent` and status 400. It keeps
 * that status, as the framework's own handler would answer, in our wording (its
 * message quotes the request). A plain `Error` with a status stays internal: that is
 * how HTTP client libraries report an upstream answer, which is not our client's fault.
 */
export function fromTaggedBuiltin(e: Loose): PlatformError | undefined {
  const status = isHttpStatus(e.status) ? e.status : e.statusCode;
  if (!isHttpStatus(status) || status >= 500 || typeof e.expose === 'boolean') return undefined;
  const [own] = classNames(e);
  if (own === undefined || !BUILTIN_ERRORS.has(own)) return undefined;
  return fromStatus(status, e, true, undefined, false);
}
