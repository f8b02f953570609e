import type { Inspector } from './inspector.js';
import { LogLevelError, type LogLevels, logLevels } from './log-levels.js';

/** A framework-neutral request to one of the handler sets below. */
export interface NeutralRequest {
  method: string;
  /** The part after the mount point: `''`, `db`, `requests/<id>`, ... */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

export interface NeutralResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const json = (status: number, body: unknown): NeutralResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body,
});

const problem = (status: number, title: string, detail: string): NeutralResponse => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: { type: 'about:blank', title, status, detail },
});

/**
 * GET `''` lists modules, GET `<module>` reads one, PUT `<module>` with
 * `{ "level": "debug" }` sets it, DELETE `<module>` resets it. The admin package
 * mounts this behind its own authorization.
 *
 * @example
 * const levels = logLevelHandlers();
 * app.all('/admin/log-levels{/:module}', async (req, res) => {
 *   const r = levels.handle({ method: req.method, path: req.params.module ?? '', body: req.body });
 *   res.status(r.status).set(r.headers).send(r.body);
 * });
 */
export function logLevelHandlers(levels: LogLevels = logLevels): {
  handle(request: NeutralRequest): NeutralResponse;
} {
  return {
    handle({ method, path, body }) {
      const module = path.replace(/^\/+|\/+$/g, '');
      try {
        if (module === '') {
          return method === 'GET'
            ? json(200, { modules: levels.list() })
            : problem(405, 'Method Not Allowed', 'use GET');
        }
        switch (method) {
          case 'GET':
            return json(200, levels.get(module));
          case 'PUT': {
            const level = (body as { level?: unknown } | undefined)?.level;
            if (typeof level !== 'string')
              return problem(400, 'Bad Request', 'body must be {"level": "<level>"}');
            levels.set(module, level);
            return json(200, levels.get(module));
          }
          case 'DELETE':
            levels.reset(module);
            return json(200, levels.get(module));
          default:
            return problem(405, 'Method Not Allowed', 'use GET, PUT or DELETE');
        }
      } catch (error) {
        if (error instanceof LogLevelError) {
          return problem(
            error.code === 'unknown_module' ? 404 : 400,
            'Invalid log level change',
            error.message,
          );
        }
        throw error;
      }
    },
  };
}

/**
 * Development-only inspector endpoints: GET `recent`, `errors`, `requests/<id>`
 * (`?format=markdown` for Markdown). Every request is refused with 404 unless the
 * inspector is enabled.
 *
 * @example
 * const dev = inspectorHandlers(inspector);
 * app.get('/_dev/{*path}', (req, res) => {
 *   const r = dev.handle({ method: 'GET', path: req.params.path.join('/'), query: req.query });
 *   res.status(r.status).set(r.headers).send(r.body);
 * });
 */
export function inspectorHandlers(inspector: Inspector): {
  handle(request: NeutralRequest): NeutralResponse;
} {
  return {
    handle({ method, path, query = {} }) {
      if (!inspector.enabled) return problem(404, 'Not Found', 'the inspector is disabled');
      if (method !== 'GET') return problem(405, 'Method Not Allowed', 'use GET');
      const limit = Math.min(Math.max(Number(query.limit) || 50, 1), 1000);
      const clean = path.replace(/^\/+|\/+$/g, '');
      if (clean === 'recent') return json(200, { logs: inspector.recent(limit) });
      if (clean === 'errors') return json(200, { logs: inspector.errors(limit) });
      const m = /^requests\/([A-Za-z0-9._:-]{1,128})$/.exec(clean);
      if (m) {
        const timeline = inspector.inspect(m[1]!);
        if (query.format === 'markdown') {
          return {
            status: 200,
            headers: { 'content-type': 'text/markdown; charset=utf-8' },
            body: inspector.toMarkdown(timeline),
          };
        }
        return json(200, timeline);
      }
      return problem(404, 'Not Found', `no inspector endpoint "${clean.slice(0, 64)}"`);
    },
  };
}
