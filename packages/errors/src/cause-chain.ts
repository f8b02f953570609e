import { causes, classNames, isObject } from './shape.js';

/** One link of a cause chain, as a logger should record it. */
export interface CauseLink {
  name: string;
  message: string;
  code?: string;
}

const MAX_MESSAGE = 1000;

function describe(value: unknown): CauseLink {
  if (!isObject(value)) {
    return { name: typeof value, message: String(value).slice(0, MAX_MESSAGE) };
  }
  const name = typeof value.name === 'string' ? value.name : (classNames(value)[0] ?? 'Object');
  const message = typeof value.message === 'string' ? value.message : '';
  const link: CauseLink = { name, message: message.slice(0, MAX_MESSAGE) };
  if (typeof value.code === 'string') link.code = value.code;
  return link;
}

/**
 * The error and every `cause` under it as `{ name, message, code? }`, for logs.
 * Bounded (10 links, 1000-character messages) and safe on cycles and non-errors.
 *
 * @example
 * logger.error({ requestId, causes: causeChain(err) }, 'request failed');
 */
export function causeChain(err: unknown): CauseLink[] {
  try {
    return causes(err, 10).map(describe);
  } catch {
    return [{ name: 'Unknown', message: 'the error could not be inspected' }];
  }
}
