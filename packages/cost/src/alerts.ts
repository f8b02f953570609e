import { createHmac } from 'node:crypto';
import type { Metric, Scope } from './limits.js';
import type { Period } from './periods.js';

/** A usage threshold crossed, fired once per tenant, limit and period. */
export interface CostAlert {
  tenant: string;
  /** The user or API key id for user / apiKey limits. */
  subject?: string;
  scope: Scope;
  metric: Metric;
  period: Period;
  periodKey: string;
  /** Percent of the limit: 50, 80, 100 by default. */
  threshold: number;
  used: number;
  limit: number;
  soft: boolean;
  at: string;
}

export interface CostLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Default: one JSON line per alert, warning and refusal (pass a pino logger to route them). */
export const consoleLogger: CostLogger = {
  info: (obj, msg) => console.info(JSON.stringify({ level: 'info', msg, ...obj })),
  warn: (obj, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...obj })),
};

export interface WebhookOptions {
  url: string;
  /** HMAC-SHA256 key: the body is signed as `X-Cost-Signature: t=<unix>,v1=<hex>`. */
  secret: string;
  timeoutMs: number;
}

/**
 * The signature header of a webhook body: HMAC-SHA256 over `<unix seconds>.<body>`.
 * Receivers recompute it with the shared secret and reject old timestamps.
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Delivers an alert to every sink; never throws, logs every failure. */
export async function deliverAlert(
  alert: CostAlert,
  sinks: {
    callbacks: ((a: CostAlert) => void | Promise<void>)[];
    webhook?: WebhookOptions;
    logger: CostLogger;
  },
): Promise<void> {
  sinks.logger.info({ alert }, 'cost alert');
  for (const cb of sinks.callbacks) {
    try {
      await cb(alert);
    } catch (err) {
      sinks.logger.warn({ err: String(err), alert }, 'cost alert callback failed');
    }
  }
  const hook = sinks.webhook;
  if (!hook) return;
  const body = JSON.stringify({ type: 'cost.alert', data: alert });
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-cost-signature': signWebhook(hook.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
      signal: AbortSignal.timeout(hook.timeoutMs),
    });
    if (!res.ok) sinks.logger.warn({ status: res.status, alert }, 'cost alert webhook refused');
  } catch (err) {
    sinks.logger.warn({ err: String(err), alert }, 'cost alert webhook failed');
  }
}
