/** What kind of failure an error is; decides the default status, severity and wording. */
export type ErrorCategory =
  | 'authentication'
  | 'authorization'
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limit'
  | 'quota_exceeded'
  | 'database'
  | 'ai_service'
  | 'network'
  | 'timeout'
  | 'internal';

/** How urgently an operator should look at it. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface CategoryDefaults {
  status: number;
  severity: Severity;
  retryable: boolean;
  title: string;
  detail: string;
}

/** Defaults per category: status, severity, retryability and the user-facing wording. */
export const CATEGORIES: Readonly<Record<ErrorCategory, CategoryDefaults>> = {
  authentication: {
    status: 401,
    severity: 'low',
    retryable: false,
    title: 'Authentication required',
    detail: 'Please sign in to continue.',
  },
  authorization: {
    status: 403,
    severity: 'medium',
    retryable: false,
    title: 'Access denied',
    detail: 'You do not have permission to perform this action.',
  },
  validation: {
    status: 400,
    severity: 'low',
    retryable: false,
    title: 'Invalid request',
    detail: 'Some of the submitted data is not valid. Please check it and try again.',
  },
  not_found: {
    status: 404,
    severity: 'low',
    retryable: false,
    title: 'Not found',
    detail: 'The requested resource does not exist.',
  },
  conflict: {
    status: 409,
    severity: 'low',
    retryable: false,
    title: 'Conflict',
    detail: 'The request conflicts with the current state of the resource.',
  },
  payload_too_large: {
    status: 413,
    severity: 'low',
    retryable: false,
    title: 'Payload too large',
    detail: 'The request body is larger than the server accepts.',
  },
  unsupported_media_type: {
    status: 415,
    severity: 'low',
    retryable: false,
    title: 'Unsupported media type',
    detail: 'The request body format is not supported.',
  },
  rate_limit: {
    status: 429,
    severity: 'medium',
    retryable: true,
    title: 'Too many requests',
    detail: 'You are sending requests too quickly. Please wait a moment and try again.',
  },
  quota_exceeded: {
    status: 429,
    severity: 'medium',
    retryable: false,
    title: 'Quota exceeded',
    detail: 'Your usage quota for this period is used up.',
  },
  database: {
    status: 500,
    severity: 'high',
    retryable: false,
    title: 'Data service error',
    detail:
      'We could not complete the request because of a problem on our side. Please try again later.',
  },
  ai_service: {
    status: 502,
    severity: 'high',
    retryable: false,
    title: 'AI service unavailable',
    detail: 'The AI service did not respond as expected. Please try again later.',
  },
  network: {
    status: 503,
    severity: 'high',
    retryable: true,
    title: 'Service unavailable',
    detail: 'A service we depend on could not be reached. Please try again in a moment.',
  },
  timeout: {
    status: 504,
    severity: 'medium',
    retryable: true,
    title: 'Request timed out',
    detail: 'The operation took too long to complete. Please try again.',
  },
  internal: {
    status: 500,
    severity: 'high',
    retryable: false,
    title: 'Internal server error',
    detail:
      'Something went wrong on our side. If it keeps happening, contact support with the request id.',
  },
};

export const CATEGORY_NAMES = Object.keys(CATEGORIES) as ErrorCategory[];

const STATUS: Record<number, [code: string, title: string, category: ErrorCategory]> = {
  400: ['bad_request', 'Bad request', 'validation'],
  401: ['authentication', 'Authentication required', 'authentication'],
  402: ['payment_required', 'Payment required', 'quota_exceeded'],
  403: ['authorization', 'Access denied', 'authorization'],
  404: ['not_found', 'Not found', 'not_found'],
  405: ['method_not_allowed', 'Method not allowed', 'validation'],
  406: ['not_acceptable', 'Not acceptable', 'validation'],
  408: ['request_timeout', 'Request timeout', 'timeout'],
  409: ['conflict', 'Conflict', 'conflict'],
  410: ['gone', 'Gone', 'not_found'],
  411: ['length_required', 'Length required', 'validation'],
  412: ['precondition_failed', 'Precondition failed', 'conflict'],
  413: ['payload_too_large', 'Payload too large', 'payload_too_large'],
  414: ['uri_too_long', 'URI too long', 'validation'],
  415: ['unsupported_media_type', 'Unsupported media type', 'unsupported_media_type'],
  416: ['range_not_satisfiable', 'Range not satisfiable', 'validation'],
  422: ['unprocessable_content', 'Unprocessable content', 'validation'],
  428: ['precondition_required', 'Precondition required', 'conflict'],
  429: ['rate_limit', 'Too many requests', 'rate_limit'],
  431: ['headers_too_large', 'Request header fields too large', 'validation'],
  500: ['internal', 'Internal server error', 'internal'],
  501: ['not_implemented', 'Not implemented', 'internal'],
  502: ['bad_gateway', 'Bad gateway', 'network'],
  503: ['service_unavailable', 'Service unavailable', 'network'],
  504: ['timeout', 'Gateway timeout', 'timeout'],
};

const STATUS_TITLES = new Map(Object.values(STATUS).map(([code, title]) => [code, title]));

/** The category, stable code and title an HTTP status stands for (for errors that carry one). */
export function describeStatus(status: number): {
  category: ErrorCategory;
  code: string;
  title: string;
} {
  const known = STATUS[status];
  if (known) return { code: known[0], title: known[1], category: known[2] };
  const category: ErrorCategory = status < 500 ? 'validation' : 'internal';
  return { category, code: `http_${status}`, title: CATEGORIES[category].title };
}

/** Titles for the status-derived codes, so a 405 reads "Method not allowed", not "Invalid request". */
export function titleForCode(code: string): string | undefined {
  return STATUS_TITLES.get(code);
}
