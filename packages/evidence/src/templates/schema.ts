import { z } from 'zod';

/** A collector id as templates name it: `audit-chain`, `api-keys`, … */
export const COLLECTOR_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const text = (max: number) => z.string().trim().min(1).max(max);

export const controlSchema = z.object({
  /** The framework's own reference: `CC6.1`, `A.8.15`, `Art.30(1)(a)`. */
  id: z.string().regex(/^[A-Za-z0-9().:_-]{1,40}$/, 'must be a short reference like CC6.1'),
  title: text(120),
  /** A short paraphrase of what the control asks; never the standard's own text. */
  summary: text(600),
  /** Ids of the collectors whose evidence supports the control. */
  collectors: z
    .array(z.string().regex(COLLECTOR_ID, 'must be a collector id like audit-chain'))
    .min(1)
    .max(16),
});

export const templateSchema = z
  .object({
    id: z.string().regex(COLLECTOR_ID, 'must be a lower-case id like soc2'),
    framework: text(60),
    title: text(200),
    version: text(100),
    /** Frameworks a host opts into (the EU AI Act items); left out unless asked for. */
    optional: z.boolean().default(false),
    notes: text(1000).optional(),
    controls: z.array(controlSchema).min(1).max(500),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.controls.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({
          code: 'custom',
          path: ['controls', i, 'id'],
          message: `duplicate control id ${c.id}`,
        });
      seen.add(c.id);
    });
  });

export type ControlTemplate = z.output<typeof templateSchema>;
export type ControlTemplateInput = z.input<typeof templateSchema>;
export type Control = z.output<typeof controlSchema>;
