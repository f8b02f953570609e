import type { Answer } from '@platform/core';
import { type ProblemResponse, stringifyProblem } from './problem.js';

/**
 * A problem response as @platform/core's answer, which every binding sends with core's
 * writers: header names in lower case. Give the request method from a Fetch binding, so a
 * HEAD request gets no body (Node's writers leave the body of a HEAD response out themselves).
 *
 * @example
 * const answer = problemAnswerOf(respond(err, exchange), request.method);
 */
export function problemAnswerOf(problem: ProblemResponse, method?: string): Answer {
  const headers: Record<string, string> = {};
  for (const name in problem.headers) headers[name.toLowerCase()] = problem.headers[name] as string;
  if (method === 'HEAD') return { status: problem.status, headers };
  return { status: problem.status, headers, body: stringifyProblem(problem.body) };
}
