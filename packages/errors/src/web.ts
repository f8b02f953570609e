import { toResponse } from '@platform/core';
import { webExchange } from '@platform/core/next';
import { problemAnswerOf } from './answer.js';
import type { ErrorResponder } from './responder.js';

/** The problem `Response` for `err` on a Fetch request (Next route handlers, Hono). */
export function webProblem(
  respond: ErrorResponder,
  err: unknown,
  request: Request,
  route?: string,
): Response {
  const problem = respond(err, webExchange(request, new Headers(), route));
  return toResponse(problemAnswerOf(problem, request.method));
}
