import { Buffer } from 'node:buffer';
import { type Answer, ConfigError, type NeutralRequest } from '@platform/core';
import { NotFoundError, stringifyProblem, toProblem, ValidationError } from '@platform/errors';

/** Any error of an admin call as a problem answer (a ConfigError from the input is a 400). */
export function errorAnswer(err: unknown, request: NeutralRequest): Answer {
  const error =
    err instanceof ConfigError
      ? new ValidationError('The request is invalid.', { errors: err.issues })
      : err instanceof TypeError
        ? new ValidationError(err.message, { expose: true })
        : err;
  const problem = toProblem(
    error,
    { requestId: request.context?.requestId, instance: request.path },
    { authScheme: 'Bearer' },
  );
  const headers: Record<string, string> = {};
  for (const name in problem.headers) headers[name.toLowerCase()] = problem.headers[name] as string;
  return {
    status: problem.status,
    headers,
    body: request.method === 'HEAD' ? undefined : Buffer.from(stringifyProblem(problem.body)),
  };
}

export const notFound = (id: string) =>
  new NotFoundError(`No API key ${id}.`, { code: 'api_key_not_found', expose: true });
