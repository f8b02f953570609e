import type { Answer } from '@platform/core';
import { stringifyProblem, toProblem } from '@platform/errors';

/**
 * A package handler's thrown error as problem+json (some, like the cost handlers, throw for
 * the framework's error handler): the console answers it itself, so nothing reaches a host
 * that has no @platform/errors handler. Internals stay hidden in production.
 */
export function problemOf(err: unknown, instance: string): Answer {
  const p = toProblem(err, { instance }, { production: process.env.NODE_ENV === 'production' });
  const headers: Record<string, string> = {};
  for (const name in p.headers) headers[name.toLowerCase()] = p.headers[name] as string;
  return { status: p.status, headers, body: stringifyProblem(p.body) };
}
