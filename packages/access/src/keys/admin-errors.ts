import { type Answer, ConfigError, type NeutralRequest } from '@platform/core';
import { NotFoundError, ValidationError } from '@platform/errors';
import { errorProblem } from './problems.js';

/** Any error of an admin call as a problem answer (a ConfigError from the input is a 400). */
export function errorAnswer(err: unknown, request: NeutralRequest): Answer {
  const error =
    err instanceof ConfigError
      ? new ValidationError('The request is invalid.', { errors: err.issues })
      : err;
  return errorProblem(error, request, request.context);
}

export const notFound = (id: string) =>
  new NotFoundError(`No API key ${id}.`, { code: 'api_key_not_found', expose: true });
