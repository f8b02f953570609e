import {
  type Answer,
  jsonAnswer,
  jsonBody,
  type NeutralRequest,
  problemAnswer,
  runWithContext,
} from '@platform/core';
import { check } from '../schemas/index.js';
import { type AdminPrincipal, atLeast, capabilitiesOf, roleOf } from './access.js';
import { CSRF_HEADER, type CsrfGuard } from './csrf.js';
import { areasOf, delegate } from './handlers.js';
import type { AdminConsoleOptions } from './options.js';
import { problemOf } from './problem.js';
import { isRead, type Rule, ruleOf } from './rules.js';
import { contextFor, rebase, scopeFlagList, scopeSummary } from './scope.js';

const NO_STORE = { 'cache-control': 'no-store' };
const forbidden = (detail: string) => problemAnswer(403, { title: 'Forbidden', detail }, NO_STORE);

/** One API call, after authentication. */
interface Call {
  options: AdminConsoleOptions;
  csrf: CsrfGuard;
  request: NeutralRequest;
  principal: AdminPrincipal;
}

function record(call: Call, rule: Rule, status: number, extra: Record<string, unknown> = {}) {
  if (!rule.action || !call.options.audit) return;
  const ok = status < 400;
  call.options.audit.record({
    action: rule.action,
    outcome: ok ? 'success' : 'failure',
    statusCode: status,
    tenantId: call.principal.tenant ?? rule.tenant,
    actor: { type: 'user', id: call.principal.actor },
    ...(rule.target && { targets: [rule.target] }),
    metadata: { method: call.request.method, path: call.request.path, ...extra },
  });
}

/** Refusals (role, scope, CSRF) before any package handler runs; undefined to go ahead. */
function refusal(call: Call, rule: Rule): string | undefined {
  const role = roleOf(call.principal);
  if (!role) return 'No admin console role (viewer, operator or admin).';
  if (!atLeast(role, rule.need)) return `This needs the ${rule.need} role.`;
  const scoped = call.principal.tenant;
  if (scoped !== undefined && rule.global)
    return 'Tenant-scoped principals cannot use this: it spans every tenant.';
  if (scoped !== undefined && rule.tenant !== undefined && rule.tenant !== scoped)
    return `You may only change tenant "${scoped}".`;
  if (isRead(call.request.method)) return undefined;
  const csrf = call.csrf.refuse(call.request, call.principal);
  return csrf && `CSRF check failed: ${csrf}.`;
}

function session(call: Call): Answer {
  const role = roleOf(call.principal);
  if (!role) return forbidden('No admin console role (viewer, operator or admin).');
  const { actor, tenant } = call.principal;
  return jsonAnswer(
    200,
    {
      actor,
      role,
      tenant: tenant ?? null,
      can: capabilitiesOf(role, tenant !== undefined),
      areas: areasOf(call.options),
      traceUrl: call.options.traceUrl ?? null,
      csrf: { header: CSRF_HEADER, token: call.csrf.issue(call.principal) },
    },
    NO_STORE,
  );
}

/** Validates the body against the schema the UI shares; the parsed value or a 400/413. */
async function bodyOf(call: Call, rule: Rule): Promise<{ value: unknown } | { problem: Answer }> {
  if (!rule.schema) return { value: undefined };
  const read = await jsonBody(call.request, 16_384);
  if ('problem' in read) return read;
  const parsed = check(rule.schema, read.value ?? {});
  if (parsed.ok) return { value: parsed.data };
  return {
    problem: problemAnswer(400, {
      title: 'Bad Request',
      detail: 'The request body is not valid.',
      errors: parsed.issues,
    }),
  };
}

/** `api/<area>/...`: authorize, check role, scope and CSRF, validate, hand off, record. */
export async function answerApi(call: Call, segments: string[]): Promise<Answer> {
  const rule = ruleOf(call.request.method.toUpperCase(), segments);
  if (!rule) return problemAnswer(404, { title: 'Not Found', detail: 'No such admin API call.' });
  if (rule.area === 'session') return session(call);
  const refused = refusal(call, rule);
  if (refused) {
    record(call, rule, 403, { reason: refused });
    return forbidden(refused);
  }
  const body = await bodyOf(call, rule);
  if ('problem' in body) {
    record(call, rule, body.problem.status);
    return body.problem;
  }
  const context = contextFor(call.request, call.principal);
  const request = rebase(call.request, rule.area, call.principal, context, rule.schema && body);
  if (!request) return forbidden(`You may only see tenant "${call.principal.tenant}".`);
  const answer = await runWithContext(context, () =>
    delegate(call.options, rule, request).catch((err: unknown) => problemOf(err, request.path)),
  );
  record(call, rule, answer.status, body.value === undefined ? {} : { body: body.value });
  // Reads of the audit log record themselves: the trail's search writes `audit.log.view`
  // and the export handler `audit.log.export`, both with the actor of the context above.
  const tenant = call.principal.tenant;
  if (tenant === undefined || !isRead(request.method)) return answer;
  if (rule.area === 'flags') return scopeFlagList(answer, tenant);
  return rule.area === 'health' && rule.parts[0] === 'summary'
    ? scopeSummary(answer, tenant)
    : answer;
}
