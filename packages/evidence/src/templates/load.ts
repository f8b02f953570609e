import { readFile } from 'node:fs/promises';
import { ConfigError } from '@platform/core';
import euAiAct from '../../templates/eu-ai-act.json';
import gdpr from '../../templates/gdpr-art30.json';
import iso27001 from '../../templates/iso27001.json';
import soc2 from '../../templates/soc2.json';
import { type ControlTemplate, templateSchema } from './schema.js';

/** The templates shipped under the package's `templates/` folder, by id. */
export const BUILTIN_TEMPLATES = {
  soc2,
  iso27001,
  'gdpr-art30': gdpr,
  'eu-ai-act': euAiAct,
} as const;

export type BuiltinTemplateId = keyof typeof BUILTIN_TEMPLATES;

/**
 * Validates a template (the shipped ones or the host's own) and fails with every
 * problem named by its path.
 */
export function parseTemplate(value: unknown, source = 'template'): ControlTemplate {
  const r = templateSchema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({
    path: i.path.join('.') || '(root)',
    message: i.message,
  }));
  const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new ConfigError(`${source} is not a valid control template: ${list}`, issues);
}

/**
 * The shipped templates, validated: SOC 2, ISO 27001 and GDPR Article 30 by default; the
 * optional ones (EU AI Act) only when named.
 *
 * @example
 * const templates = loadTemplates(['soc2', 'iso27001', 'gdpr-art30', 'eu-ai-act']);
 */
export function loadTemplates(ids?: readonly BuiltinTemplateId[]): ControlTemplate[] {
  for (const id of ids ?? []) {
    if (!Object.hasOwn(BUILTIN_TEMPLATES, id))
      throw new ConfigError(
        `loadTemplates: no template "${id}" (known: ${Object.keys(BUILTIN_TEMPLATES).join(', ')})`,
        [{ path: 'ids', message: `unknown template ${id}` }],
      );
  }
  const all = Object.entries(BUILTIN_TEMPLATES).map(([id, t]) =>
    parseTemplate(t, `templates/${id}.json`),
  );
  return ids
    ? all.filter((t) => ids.includes(t.id as BuiltinTemplateId))
    : all.filter((t) => !t.optional);
}

/** Reads and validates a template the host keeps in a JSON file of its own. */
export async function loadTemplateFile(path: string): Promise<ControlTemplate> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(`${path}: cannot read a JSON template (${message})`, [{ path, message }]);
  }
  return parseTemplate(value, path);
}
