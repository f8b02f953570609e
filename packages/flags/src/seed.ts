import type { DefinitionMap, FlagDefinitions } from './define.js';
import type { FlagStateInput } from './model.js';

/** Store records for code-defined flags: enabled, serving each flag's default variant. */
export function seedFromDefinitions<D extends DefinitionMap>(
  definitions: FlagDefinitions<D>,
): FlagStateInput[] {
  return [...definitions.resolved.values()].map((def) => {
    const variant =
      Object.keys(def.variants).find((n) => Object.is(def.variants[n], def.default)) ??
      def.offVariant;
    const flag: FlagStateInput = { key: def.key, enabled: true, serve: { variant: variant! } };
    if (def.kind) flag.kind = def.kind;
    if (def.description) flag.description = def.description;
    if (def.owner) flag.owner = def.owner;
    if (def.tags) flag.tags = [...def.tags];
    return flag;
  });
}
