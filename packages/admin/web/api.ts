import type { output } from 'zod/mini';
import type { AdminRole, Capabilities } from '../src/console/access.js';
import { type BodySchema, check } from '../src/schemas/index.js';

/** What the console's `api/session` answers. */
export interface Session {
  actor: string;
  role: AdminRole;
  tenant: string | null;
  can: Capabilities;
  areas: Record<'flags' | 'health' | 'audit' | 'logging' | 'inspector' | 'usage', boolean>;
  csrf: { header: string; token: string };
  /** The trace viewer's URL template (`{traceId}`), or null. */
  traceUrl: string | null;
}

/** A failed call, with the server's problem detail as a readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

let csrf: Session['csrf'] | undefined;

async function failure(response: Response): Promise<ApiError> {
  const problem = (await response.json().catch(() => ({}))) as {
    title?: string;
    detail?: string;
    errors?: { path: string; message: string }[];
  };
  const text = problem.detail ?? problem.title ?? response.statusText;
  return new ApiError(response.status, `${response.status}: ${text}`, problem.errors);
}

/** A JSON call below the console's mount point; changes carry the CSRF token. */
export async function api<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers[csrf.header] = csrf.token;
  const response = await fetch(`api/${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('problem+json') || (!response.ok && !type.includes('json')))
    throw await failure(response);
  return (await response.json()) as T;
}

export async function loadSession(): Promise<Session> {
  const session = await api<Session>('session');
  csrf = session.csrf;
  return session;
}

/** Checks a form's value with the schema the server uses; throws its issues as one message. */
export function validate<S extends BodySchema>(schema: S, value: unknown): output<S> {
  const parsed = check(schema, value);
  if (parsed.ok) return parsed.data;
  const { issues } = parsed;
  throw new ApiError(400, issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
