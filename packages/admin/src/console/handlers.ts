import { type Answer, type NeutralRequest, problemAnswer } from '@platform/core';
import type { AdminConsoleOptions } from './options.js';
import type { Rule } from './rules.js';

const notConfigured = (what: string): Answer =>
  problemAnswer(404, { title: 'Not Found', detail: `The console has no ${what} configured.` });

const COST = new Set(['usage', 'timeseries', 'report', 'budget']);

/** Hands the call to the package's own handler, the request rebased below its area. */
export async function delegate(
  options: AdminConsoleOptions,
  rule: Rule,
  request: NeutralRequest,
): Promise<Answer> {
  const [first = ''] = rule.parts;
  switch (rule.area) {
    case 'flags': {
      if (!options.flags) return notConfigured('flags');
      return (await options.flags(request)) ?? notConfigured('such flag route');
    }
    case 'logging':
      return options.logLevels ? options.logLevels.handle(request) : notConfigured('log levels');
    case 'inspector':
      return options.inspector ? options.inspector.handle(request) : notConfigured('inspector');
    case 'audit': {
      const log = options.auditLog;
      if (!log) return notConfigured('audit log');
      if (first === 'events') return log.search(request);
      if (first === 'export') return log.export(request);
      if (first === 'verify' && log.verify) return log.verify(request);
      return notConfigured(`audit endpoint "${first.slice(0, 40)}"`);
    }
    case 'usage': {
      const handler = COST.has(first) ? options.cost?.[first as 'usage'] : undefined;
      return handler ? handler(request) : notConfigured(`usage endpoint "${first.slice(0, 40)}"`);
    }
    case 'health': {
      const handler =
        first === 'status'
          ? options.health?.status
          : first === 'summary'
            ? options.metrics?.summary
            : first === 'slos'
              ? options.slos?.handler
              : undefined;
      const answer = handler ? await handler(request) : undefined;
      return answer ?? notConfigured(`health endpoint "${first.slice(0, 40)}"`);
    }
    default:
      return notConfigured('such endpoint');
  }
}

/** Which areas the host configured: the UI shows only their pages. */
export function areasOf(options: AdminConsoleOptions) {
  return {
    flags: Boolean(options.flags),
    health: Boolean(options.health || options.metrics || options.slos),
    audit: Boolean(options.auditLog),
    logging: Boolean(options.logLevels),
    inspector: Boolean(options.inspector),
    usage: Boolean(options.cost),
  };
}
