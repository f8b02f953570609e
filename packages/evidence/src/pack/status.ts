import type { CollectorResult } from '../collectors/types.js';
import type { ControlTemplate } from '../templates/schema.js';

/**
 * `collected`: every collector the control names gave evidence; `partial`: some did;
 * `not-collected`: none did; `attention`: evidence was collected and a finding in it fails
 * (a chain that does not verify, a header grade below the minimum).
 */
export type ControlStatus = 'collected' | 'partial' | 'not-collected' | 'attention';

/** A collector's outcome as the pack records it. */
export interface CollectorOutcome extends Omit<CollectorResult, 'files'> {
  id: string;
  title: string;
  /** Paths of its evidence files in the pack. */
  files: string[];
  durationMs: number;
}

export interface ControlResult {
  templateId: string;
  framework: string;
  controlId: string;
  title: string;
  status: ControlStatus;
  collectors: string[];
  files: string[];
  /** Why the status is not `collected`: reasons and failed findings. */
  notes: string[];
}

/** Each control of each template, with its status from the outcomes of its collectors. */
export function controlResults(
  templates: readonly ControlTemplate[],
  outcomes: ReadonlyMap<string, CollectorOutcome>,
): ControlResult[] {
  return templates.flatMap((t) =>
    t.controls.map((c) => {
      const notes: string[] = [];
      let collected = 0;
      let failing = false;
      const files: string[] = [];
      for (const id of c.collectors) {
        const o = outcomes.get(id);
        if (!o) {
          notes.push(`${id}: no collector of this id was given`);
          continue;
        }
        if (o.status !== 'collected') {
          notes.push(`${id}: ${o.status === 'failed' ? 'failed' : 'not collected'} (${o.reason})`);
          continue;
        }
        collected++;
        files.push(...o.files);
        for (const f of o.findings.filter((f) => !f.ok)) {
          failing = true;
          notes.push(`${id}: ${f.detail}`);
        }
      }
      const status: ControlStatus = failing
        ? 'attention'
        : collected === c.collectors.length
          ? 'collected'
          : collected > 0
            ? 'partial'
            : 'not-collected';
      return {
        templateId: t.id,
        framework: t.framework,
        controlId: c.id,
        title: c.title,
        status,
        collectors: c.collectors,
        files,
        notes,
      };
    }),
  );
}
