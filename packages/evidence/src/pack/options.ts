import { createPrivateKey, type KeyObject } from 'node:crypto';
import { parseOptions } from '@platform/core';
import { z } from 'zod';
import type { Collector } from '../collectors/types.js';
import { loadTemplates } from '../templates/load.js';
import { type ControlTemplate, templateSchema } from '../templates/schema.js';

const instant = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]);

const privateKey = z
  .union([z.string(), z.custom<KeyObject>((v) => typeof v === 'object' && v !== null)])
  .transform((v, ctx) => {
    try {
      const key = typeof v === 'string' ? createPrivateKey(v) : v;
      if (key.type === 'private' && key.asymmetricKeyType === 'ed25519') return key;
    } catch {}
    ctx.addIssue({ code: 'custom', message: 'must be an Ed25519 private key (KeyObject or PEM)' });
    return z.NEVER;
  });

export const packSchema = z
  .object({
    period: z
      .object({ from: instant, to: instant })
      .refine((p) => p.from < p.to, 'from must be before to'),
    tenant: z.string().min(1).max(256).optional(),
    collectors: z
      .array(
        z.custom<Collector>(
          (v) =>
            typeof (v as Collector | undefined)?.collect === 'function' &&
            typeof (v as Collector).id === 'string',
          'must be a collector (an object with id and collect())',
        ),
      )
      .refine(
        (cs) => new Set(cs.map((c) => c.id)).size === cs.length,
        'collector ids must be unique',
      ),
    templates: z.array(templateSchema).min(1).optional(),
    signingKey: privateKey,
    keyId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must match [A-Za-z0-9._-]{1,64}')
      .default('default'),
    /** Title on the PDF summary. */
    title: z.string().min(1).max(200).default('Compliance evidence pack'),
    /** Render `summary.pdf` (needs the optional peer pdf-lib). Default true. */
    pdf: z.boolean().default(true),
    /** Time each collector may take (default 60 s); a collector past it is recorded as failed. */
    collectorTimeoutMs: z.number().int().min(1).max(3_600_000).default(60_000),
  })
  .transform((o) => ({ ...o, templates: (o.templates ?? loadTemplates()) as ControlTemplate[] }));

export type EvidencePackInput = z.input<typeof packSchema>;
export type ResolvedPackOptions = z.output<typeof packSchema>;

export const resolvePackOptions = (input: EvidencePackInput, where: string): ResolvedPackOptions =>
  parseOptions(packSchema, input, where);
