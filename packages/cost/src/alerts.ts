import {
  type Diagnostics,
  defaultLogger,
  type PlatformLogger,
  timestampedSignature,
} from '@platform/core';
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

/**
 * The logger option's older shape: `info` and `warn` only (errors are logged to `warn`).
 * @deprecated Pass a `PlatformLogger` (pino fits) from @platform/core.
 */
export type CostLogger = Pick<PlatformLogger, 'info' | 'warn'>;

/**
 * Core's process-wide logger in the older `CostLogger` shape (JSON lines on stderr until
 * @platform/tracing's logger is created).
 * @deprecated Leave `logger` unset: the default is core's process-wide logger.
 */
export const consoleLogger: CostLogger = {
  info: (obj, msg) => defaultLogger().info(obj, msg),
  warn: (obj, msg) => defaultLogger().warn(obj, msg),
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
  // core's signer: the same one @platform/access verifies with (its `timestamped` preset)
  return timestampedSignature(secret, body, unixSeconds);
}

/** The sinks an alert goes to besides the log. */
export interface AlertSinks {
  callbacks: ((a: CostAlert) => void | Promise<void>)[];
  webhook?: WebhookOptions;
}

/** Delivers an alert to every sink; never throws, hands every failure to `diag`. */
export async function deliverAlert(
  alert: CostAlert,
  sinks: AlertSinks,
  diag: Diagnostics,
): Promise<void> {
  diag.info('COST_ALERT', 'cost alert', { alert });
  for (const cb of sinks.callbacks) {
    try {
      await cb(alert);
    } catch (err) {
      diag.error('COST_ALERT_CALLBACK_FAILED', err, 'cost alert callback failed', { alert });
    }
  }
  if (sinks.webhook) await postWebhook(alert, sinks.webhook, diag);
}

async function postWebhook(alert: CostAlert, hook: WebhookOptions, diag: Diagnostics) {
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
    if (!res.ok) {
      const refused = new Error(`cost alert webhook answered ${res.status}`);
      diag.error('COST_ALERT_WEBHOOK_FAILED', refused, 'cost alert webhook refused', {
        status: res.status,
        alert,
      });
    }
  } catch (err) {
    diag.error('COST_ALERT_WEBHOOK_FAILED', err, 'cost alert webhook failed', { alert });
  }
}
