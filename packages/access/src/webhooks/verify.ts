import {
  type CidrSet,
  compileCidrs,
  compileTrust,
  counter,
  type DiagnosticsOptions,
  diagnostics,
  parseIp,
  parseOptions,
  resolveClientIp,
  safeEqual,
  type TrustProxy,
  type WebhookBytes,
} from '@platform/core';
import { z } from 'zod';
import { memoryReplayStore, type ReplayStore } from './replay.js';
import { type SignedParts, schemeOf, type WebhookScheme } from './schemes.js';

/** Why a delivery was refused; `status` is the HTTP status the bindings answer with. */
export interface WebhookRefusal {
  ok: false;
  status: 400 | 401 | 403 | 413 | 500 | 503;
  code:
    | 'ip_not_allowed'
    | 'missing_headers'
    | 'malformed_header'
    | 'timestamp_out_of_window'
    | 'signature_mismatch'
    | 'replayed'
    | 'body_too_large'
    | 'invalid_json'
    | 'store_unavailable'
    | 'raw_body_unavailable';
  detail: string;
}

/** A delivery whose signature, timestamp and uniqueness were checked. */
export interface VerifiedWebhook {
  ok: true;
  /** `webhook-id` (standard) or the `t=` value (timestamped scheme). */
  id: string;
  /** Unix seconds the sender signed. */
  timestamp: number;
  /** Index in `secrets` of the secret that matched (rotation progress). */
  secretIndex: number;
  /** The raw body, exactly as signed. */
  raw: Uint8Array;
}

/** What the verifier needs from a request. */
export interface WebhookInput {
  /** Reads a header, lower-case name. */
  header(name: string): string | undefined;
  body: WebhookBytes;
  /** The client address (after trusted proxies); needed when `allowIps` is set. */
  ip?: string;
}

export interface WebhookVerifierOptions extends DiagnosticsOptions {
  /** `'standard'` (Standard Webhooks, default), `'stripe'`, or `timestampedScheme(header)`. */
  scheme?: 'standard' | 'stripe' | WebhookScheme;
  /**
   * Active secrets, newest first: during a rotation list both and a delivery signed with
   * either passes. `whsec_<base64>` for the standard scheme, any text for timestamped.
   */
  secrets: string | readonly string[];
  /** Seconds a timestamp may lie from now, either way. Default 300. */
  toleranceSeconds?: number;
  /** Where accepted deliveries are remembered. Default a memory store; `false` disables. */
  replay?: ReplayStore | false;
  /** When the replay store fails: `'refuse'` (503, default) or `'allow'`. */
  onStoreError?: 'refuse' | 'allow';
  /** Sender addresses allowed (CIDRs, addresses, `loopback`...); unset allows any. */
  allowIps?: readonly string[];
  /**
   * Proxies trusted to name the sender in `x-forwarded-for`, used when no @platform request
   * context resolved the client address already (core's `TrustProxy`). Default `false`.
   */
  trustProxy?: TrustProxy;
  /** Largest body read, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Clock in milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

const schema = z.object({
  scheme: z
    .union([z.enum(['standard', 'stripe']), z.custom<WebhookScheme>((v) => typeof v === 'object')])
    .default('standard'),
  secrets: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(16)]),
  toleranceSeconds: z.number().int().min(1).max(86_400).default(300),
  replay: z
    .union([z.literal(false), z.custom<ReplayStore>((v) => typeof v === 'object')])
    .optional(),
  onStoreError: z.enum(['refuse', 'allow']).default('refuse'),
  allowIps: z.array(z.string()).optional(),
  trustProxy: z.any().default(false),
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  now: z.custom<() => number>((v) => typeof v === 'function').default(() => Date.now),
  logger: z.any().optional(),
  onError: z.any().optional(),
});

const refusals = counter({
  name: 'platform_access_webhook_refusals_total',
  help: 'Webhook deliveries refused, by reason.',
  labelNames: ['scheme', 'reason'],
});

export interface WebhookVerifier {
  readonly scheme: WebhookScheme;
  readonly maxBodyBytes: number;
  /** The sender address from the socket address and `x-forwarded-for`, under `trustProxy`. */
  clientIp(remoteAddress: string | undefined, forwardedFor: string | undefined): string | undefined;
  /** Checks the sender address, headers, timestamp, signature and uniqueness, in that order. */
  verify(input: WebhookInput): Promise<VerifiedWebhook | WebhookRefusal>;
  /** Forgets an accepted delivery, so the sender's copy of it may be accepted again. */
  forget(webhook: VerifiedWebhook): Promise<void>;
}

/**
 * Verifies signed webhook deliveries: Standard Webhooks by default, Stripe-style with
 * `scheme: 'stripe'`. Several secrets may be active during a rotation; comparisons are
 * constant-time; a timestamp outside `toleranceSeconds` and a delivery seen before are
 * refused. The framework bindings (`verifyWebhook`) call it with the raw body.
 *
 * @example
 * const verifier = webhookVerifier({ secrets: [process.env.WEBHOOK_SECRET!] });
 * const result = await verifier.verify({ header: (n) => req.headers.get(n) ?? undefined, body });
 */
export function webhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  const opts = parseOptions(schema, options, 'webhookVerifier');
  const scheme = schemeOf(opts.scheme);
  const secrets = typeof opts.secrets === 'string' ? [opts.secrets] : opts.secrets;
  let keys: Uint8Array[];
  try {
    keys = secrets.map((s) => scheme.key(s));
  } catch (err) {
    throw new TypeError(`webhookVerifier: secrets: ${(err as Error).message}`);
  }
  const allow: CidrSet | undefined = opts.allowIps && compileCidrs(opts.allowIps);
  const trust = compileTrust(opts.trustProxy as TrustProxy);
  const replay = opts.replay === false ? undefined : (opts.replay ?? memoryReplayStore());
  const ttlMs = opts.toleranceSeconds * 2000;
  const diag = diagnostics('@platform/access', opts);
  const replayKey = (p: SignedParts, mac: Buffer) =>
    `${p.id}.${p.timestamp}.${mac.subarray(0, 12).toString('base64url')}`;

  const refuse = (
    status: WebhookRefusal['status'],
    code: WebhookRefusal['code'],
    detail: string,
  ): WebhookRefusal => {
    refusals.inc({ scheme: scheme.name, reason: code });
    return { ok: false, status, code, detail };
  };

  return {
    scheme,
    maxBodyBytes: opts.maxBodyBytes,
    clientIp: (remote, forwarded) => resolveClientIp(remote, forwarded, trust),
    async verify(input) {
      if (allow) {
        const ip = parseIp(input.ip);
        if (!ip || !allow.matches(ip)) {
          return refuse(403, 'ip_not_allowed', 'the sender address is not on the allow list');
        }
      }
      const parts = scheme.parse(input.header);
      if ('code' in parts) return refuse(401, parts.code, parts.detail);
      const skew = Math.round(opts.now() / 1000 - parts.timestamp);
      if (Math.abs(skew) > opts.toleranceSeconds) {
        const when = skew > 0 ? `${skew} s old` : `${-skew} s in the future`;
        return refuse(
          401,
          'timestamp_out_of_window',
          `the signature timestamp is ${when}, outside the ${opts.toleranceSeconds} s tolerance`,
        );
      }
      const raw = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
      let matched = -1;
      let mac: Buffer | undefined;
      for (let i = 0; i < keys.length && matched < 0; i++) {
        const expected = scheme.mac(keys[i] as Uint8Array, parts, raw);
        for (const sent of parts.macs) {
          if (safeEqual(sent, expected)) {
            matched = i;
            mac = expected;
          }
        }
      }
      if (!mac) {
        return refuse(
          401,
          'signature_mismatch',
          'no signature matches the body under any active secret',
        );
      }
      if (replay) {
        let first: boolean;
        try {
          first = await replay.claim(replayKey(parts, mac), ttlMs);
        } catch (err) {
          diag.error('WEBHOOK_REPLAY_STORE_FAILED', err, 'webhook replay store failed');
          if (opts.onStoreError === 'refuse') {
            return refuse(
              503,
              'store_unavailable',
              'replay protection is unavailable; retry later',
            );
          }
          first = true;
        }
        if (!first) {
          return refuse(
            401,
            'replayed',
            `delivery ${parts.id} at ${parts.timestamp} was already accepted`,
          );
        }
      }
      return { ok: true, id: parts.id, timestamp: parts.timestamp, secretIndex: matched, raw };
    },
    async forget(webhook) {
      if (!replay) return;
      const parts = { id: webhook.id, timestamp: webhook.timestamp, macs: [] };
      const expected = scheme.mac(keys[webhook.secretIndex] as Uint8Array, parts, webhook.raw);
      await replay.release(replayKey(parts, expected)).catch((err: unknown) => {
        diag.error('WEBHOOK_REPLAY_STORE_FAILED', err, 'webhook replay store failed');
      });
    },
  };
}
