import {
  type Answer,
  jsonAnswer,
  jsonBody,
  type NeutralRequest,
  problemAnswer,
  subpath,
} from '@platform/core';
import type { Inspector } from './inspector.js';
import { LogLevelError, type LogLevels, logLevels } from './log-levels.js';

/** A handler set of this package: one neutral handler, mounted with a binding's route. */
export interface TracingHandlers {
  handle(request: NeutralRequest): Promise<Answer>;
}

/** A `{"level": ...}` body is tiny; anything larger is not a level change. */
const LEVEL_BODY_LIMIT = 4096;

const problem = (status: number, title: string, detail: string): Answer =>
  problemAnswer(status, { title, detail });

/** The path below the mount point without its slashes: a module, or an inspector endpoint. */
function endpointOf(request: NeutralRequest): string {
  return subpath(request).replace(/^\/+|\/+$/g, '');
}

async function levelChange(levels: LogLevels, module: string, request: NeutralRequest) {
  const body = await jsonBody(request, LEVEL_BODY_LIMIT);
  if ('problem' in body) return body.problem;
  const level = (body.value as { level?: unknown } | undefined)?.level;
  if (typeof level !== 'string')
    return problem(400, 'Bad Request', 'body must be {"level": "<level>"}');
  levels.set(module, level);
  return jsonAnswer(200, levels.get(module));
}

async function answerLevels(levels: LogLevels, request: NeutralRequest): Promise<Answer> {
  const module = endpointOf(request);
  if (module === '') {
    return request.method === 'GET'
      ? jsonAnswer(200, { modules: levels.list() })
      : problem(405, 'Method Not Allowed', 'use GET');
  }
  switch (request.method) {
    case 'GET':
      return jsonAnswer(200, levels.get(module));
    case 'PUT':
      return levelChange(levels, module, request);
    case 'DELETE':
      levels.reset(module);
      return jsonAnswer(200, levels.get(module));
    default:
      return problem(405, 'Method Not Allowed', 'use GET, PUT or DELETE');
  }
}

/**
 * Runtime log levels over HTTP: GET `''` lists modules, GET `<module>` reads one, PUT
 * `<module>` with `{ "level": "debug" }` sets it, DELETE `<module>` resets it (paths below
 * the mount point). Mount it behind your own authorization with `logLevelRoute` from the
 * Express, Fastify, Next or Hono entry point.
 *
 * @example
 * const levels = logLevelHandlers();
 * const answer = await levels.handle(request); // a NeutralRequest from @platform/core
 */
export function logLevelHandlers(levels: LogLevels = logLevels): TracingHandlers {
  return {
    async handle(request) {
      try {
        return await answerLevels(levels, request);
      } catch (error) {
        if (!(error instanceof LogLevelError)) throw error;
        const status = error.code === 'unknown_module' ? 404 : 400;
        return problem(status, 'Invalid log level change', error.message);
      }
    },
  };
}

const REQUEST_PATH = /^requests\/([A-Za-z0-9._:-]{1,128})$/;

function answerInspector(inspector: Inspector, request: NeutralRequest): Answer {
  if (!inspector.enabled) return problem(404, 'Not Found', 'the inspector is disabled');
  if (request.method !== 'GET') return problem(405, 'Method Not Allowed', 'use GET');
  const limit = Math.min(Math.max(Number(request.query.get('limit')) || 50, 1), 1000);
  const clean = endpointOf(request);
  if (clean === 'recent') return jsonAnswer(200, { logs: inspector.recent(limit) });
  if (clean === 'errors') return jsonAnswer(200, { logs: inspector.errors(limit) });
  const m = REQUEST_PATH.exec(clean);
  if (!m) return problem(404, 'Not Found', `no inspector endpoint "${clean.slice(0, 64)}"`);
  const timeline = inspector.inspect(m[1] as string);
  if (request.query.get('format') !== 'markdown') return jsonAnswer(200, timeline);
  return {
    status: 200,
    headers: { 'content-type': 'text/markdown; charset=utf-8' },
    body: inspector.toMarkdown(timeline),
  };
}

/**
 * Development-only inspector endpoints below the mount point: GET `recent`, `errors`,
 * `requests/<id>` (`?format=markdown` for Markdown, `?limit=` for the lists). Every
 * request is refused with 404 unless the inspector is enabled. Mount it with
 * `inspectorRoute` from the Express, Fastify, Next or Hono entry point.
 *
 * @example
 * const dev = inspectorHandlers(inspector);
 * const answer = await dev.handle(request); // a NeutralRequest from @platform/core
 */
export function inspectorHandlers(inspector: Inspector): TracingHandlers {
  return {
    handle: async (request) => answerInspector(inspector, request),
  };
}
