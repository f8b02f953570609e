import { parseOptions } from '@platform/core';
import { z } from 'zod';
import { type Collector, collected, notCollected } from './types.js';

const list = z.array(z.string().min(1).max(500)).max(100);

const activitySchema = z.object({
  name: z.string().min(1).max(200),
  purposes: list.min(1),
  dataSubjects: list.min(1),
  personalData: list.min(1),
  recipients: list.default([]),
  /** Transfers outside the EEA and their safeguards. */
  transfers: list.default([]),
  /** Planned time limits for erasure. */
  retention: z.string().min(1).max(500),
  /** Technical and organizational measures (Article 32). */
  security: list.default([]),
});

export const processingRecordsSchema = z.object({
  controller: z.object({
    name: z.string().min(1).max(200),
    contact: z.string().min(1).max(500),
    representative: z.string().max(500).optional(),
    dpo: z.string().max(500).optional(),
  }),
  activities: z.array(activitySchema).min(1).max(500),
});

export type ProcessingRecords = z.input<typeof processingRecordsSchema>;

const COLUMNS = [
  'activity',
  'purposes',
  'dataSubjects',
  'personalData',
  'recipients',
  'transfers',
  'retention',
  'security',
] as const;

/**
 * GDPR Article 30 records of processing, as the controller states them (validated here,
 * failing at construction with the field named).
 *
 * @example
 * const records = processingRecords({ records: { controller: { name: 'Acme', contact: 'dpo@acme.test' }, activities } });
 */
export function processingRecords(options: { records?: ProcessingRecords }): Collector {
  const records =
    options.records && parseOptions(processingRecordsSchema, options.records, 'processingRecords');
  return {
    id: 'processing-records',
    title: 'GDPR Article 30 records of processing',
    async collect() {
      if (!records) return notCollected('no records of processing given');
      const join = (v: readonly string[]) => v.join('; ');
      return collected(
        `${records.activities.length} processing activit(ies) of ${records.controller.name}`,
        [
          {
            name: 'processing-records',
            json: records,
            table: {
              columns: COLUMNS,
              rows: records.activities.map((a) => [
                a.name,
                join(a.purposes),
                join(a.dataSubjects),
                join(a.personalData),
                join(a.recipients),
                join(a.transfers),
                a.retention,
                join(a.security),
              ]),
            },
          },
        ],
      );
    },
  };
}
