import { ValidationError } from '@platform/errors';

/** Reads a JSON request body; malformed JSON is the client's mistake (400), not a 500. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch (cause) {
    throw new ValidationError('The request body is not valid JSON.', {
      code: 'invalid_body',
      cause,
    });
  }
}
