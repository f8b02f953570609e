import { z } from 'zod';
import { compileTrust, resolveClientIp } from './client-ip.js';
import type { RequestContext } from './context.js';
import type { HttpExchange } from './exchange.js';
import { compileCidrs } from './ip.js';
import { parseOptions } from './options.js';
import { isPromise } from './promise.js';
import { parseRequestId, uuidv7 } from './request-id.js';
import { REQUEST_STATE } from './state.js';

const optionsSchema = z.object({
  requestIdHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')
    .default('X-Request-ID'),
  requestIdAliases: z
    .array(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name'))
    .default(['X-Correlation-ID']),
  trustIncomingId: z.boolean().default(true),
  generateId: z
    .custom<() => string>((v) => typeof v === 'function', 'must be a function')
    .optional(),
  trustProxy: z
    .union([
      z.literal(false),
      z.number().int().min(0),
      z.array(z.string()).superRefine((list, ctx) => {
        list.forEach((entry, i) => {
          try {
            compileCidrs([entry]);
          } catch (err) {
            ctx.addIssue({ code: 'custom', message: (err as Error).message, path: [i] });
          }
        });
      }),
      z.custom<(ip: string) => boolean>((v) => typeof v === 'function'),
    ])
    .default(false),
  proxyHeader: z.enum(['x-forwarded-for', 'forwarded']).default('x-forwarded-for'),
  resolveTenant: z
    .custom<TenantResolver>((v) => typeof v === 'function', 'must be a function')
    .optional(),
  /** How long an async tenant resolver may take before the request goes on without a tenant. */
  resolveTimeoutMs: z.number().int().positive().default(1000),
  onResolveError: z
    .custom<(err: unknown) => void>((v) => typeof v === 'function', 'must be a function')
    .optional(),
});

/** Returns the tenant for a request (from a header, subdomain or token claim), or undefined. */
export type TenantResolver = (
  exchange: HttpExchange,
) => string | undefined | Promise<string | undefined>;

export type RequestContextOptions = z.input<typeof optionsSchema>;

/** The neutral engine every binding calls once per request. */
export interface RequestContextEngine {
  /** The response header that carries the request id. */
  readonly header: string;
  /**
   * Builds the context for one request and echoes the request id on the response.
   * Returns synchronously unless a tenant resolver returned a promise.
   */
  begin(exchange: HttpExchange): RequestContext | Promise<RequestContext>;
}

const TENANT_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Creates the request-context engine from validated options.
 *
 * @example
 * const engine = createRequestContext({ trustProxy: ['loopback'], resolveTenant: (ex) => ex.header('x-tenant-id') });
 */
export function createRequestContext(options: RequestContextOptions = {}): RequestContextEngine {
  const opts = parseOptions(optionsSchema, options, 'requestContext');
  const trust = compileTrust(opts.trustProxy);
  const idHeaders = [opts.requestIdHeader, ...opts.requestIdAliases].map((h) => h.toLowerCase());
  const proxyHeader = opts.proxyHeader;
  const custom = opts.generateId;
  const generate = custom
    ? () => {
        try {
          return parseRequestId(custom()) ?? uuidv7();
        } catch {
          return uuidv7();
        }
      }
    : uuidv7;
  const { resolveTenant, onResolveError } = opts;

  const incomingId = (ex: HttpExchange): string | undefined => {
    if (!opts.trustIncomingId) return undefined;
    for (const h of idHeaders) {
      const value = ex.header(h);
      if (value !== undefined) return parseRequestId(value);
    }
    return undefined;
  };

  const reportError = (err: unknown) => {
    try {
      onResolveError?.(err);
    } catch {
      // a failing error reporter must not break the request either
    }
  };

  const withTenant = (ctx: RequestContext, tenant: unknown): RequestContext => {
    if (typeof tenant === 'string' && TENANT_PATTERN.test(tenant)) ctx.tenantId = tenant;
    return ctx;
  };

  return {
    header: opts.requestIdHeader,
    begin(ex) {
      const requestId = incomingId(ex) ?? generate();
      ex.setHeader(opts.requestIdHeader, requestId);
      const ua = ex.header('user-agent');
      const ctx: RequestContext = {
        requestId,
        method: ex.method,
        path: ex.path,
        route: ex.route,
        ip: resolveClientIp(ex.remoteAddress, trust && ex.header(proxyHeader), trust, proxyHeader),
        userAgent: ua === undefined ? undefined : ua.slice(0, 512),
        startTime: Date.now(),
        tenantId: undefined,
        [REQUEST_STATE]: undefined,
      } as RequestContext;
      if (!resolveTenant) return ctx;
      let tenant: ReturnType<TenantResolver>;
      try {
        tenant = resolveTenant(ex);
      } catch (err) {
        reportError(err);
        return ctx;
      }
      if (isPromise(tenant)) {
        return settleWithin(tenant, opts.resolveTimeoutMs).then(
          (t) => withTenant(ctx, t),
          (err) => {
            reportError(err);
            return ctx;
          },
        );
      }
      return withTenant(ctx, tenant);
    },
  };
}

function settleWithin<T>(value: PromiseLike<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`resolveTenant did not settle within ${ms} ms`)),
      ms,
    );
    value.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
