export { problemAnswerOf } from './answer.js';
export {
  CATEGORIES,
  type CategoryDefaults,
  describeStatus,
  type ErrorCategory,
  type Severity,
} from './categories.js';
export { categorize } from './categorize.js';
export { type CauseLink, causeChain } from './cause-chain.js';
export {
  AiServiceError,
  AuthenticationError,
  AuthorizationError,
  type CategoryErrorOptions,
  ConflictError,
  createError,
  DatabaseError,
  ERROR_CLASSES,
  InternalError,
  NetworkError,
  NotFoundError,
  PayloadTooLargeError,
  QuotaExceededError,
  RateLimitError,
  TimeoutError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.js';
export { type Localized, type MessageTable, parseAcceptLanguage } from './messages.js';
export {
  isPlatformError,
  PlatformError,
  type PlatformErrorOptions,
  type ValidationIssue,
} from './platform-error.js';
export {
  PROBLEM_CONTENT_TYPE,
  type ProblemContext,
  type ProblemDebug,
  type ProblemDetails,
  type ProblemResponse,
  stringifyProblem,
  toProblem,
} from './problem.js';
export { DEFAULT_PROBLEM_TYPE, type ProblemOptions } from './problem-options.js';
export {
  createErrorResponder,
  type ErrorContext,
  type ErrorExchange,
  type ErrorReport,
  type ErrorResponder,
  type ErrorResponderOptions,
  type LocaleResolver,
  type OnErrorHook,
} from './responder.js';
