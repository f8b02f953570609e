/** The code of the warning an incompatible second copy emits (`process.on('warning')`). */
export const SINGLETON_WARNING_CODE = 'PLATFORM_DUPLICATE_STATE';

interface Slot<T> {
  /** The layout version the value was created with. */
  readonly version: number;
  readonly value: T;
}

type Shared = Record<symbol, unknown>;

const WARNED = Symbol.for('@platform/core.singletonWarnings');

/**
 * The one instance of a piece of process-wide state (an AsyncLocalStorage, a
 * registry), kept on `globalThis` under `Symbol.for(key)` so that every copy of the
 * package in the process shares it: the ESM and the CommonJS build loaded side by
 * side, bundles that inline their own copy, two installed versions. `version` names
 * the shape of the value: change it whenever that shape changes. A copy that finds a
 * different version keeps its own value and emits one warning per package, with code
 * `PLATFORM_DUPLICATE_STATE`, instead of misbehaving silently. Read the value once at
 * module load and keep it in a constant: the lookup is not meant for hot paths.
 *
 * @example
 * const hooks = processSingleton('@platform/core.shutdown', 1, () => ({ list: [] as Hook[] }));
 */
export function processSingleton<T>(key: string, version: number, create: () => T): T {
  const shared = globalThis as unknown as Shared;
  const symbol = Symbol.for(key);
  const found = shared[symbol] as Slot<T> | undefined;
  if (found === undefined) {
    const slot: Slot<T> = { version, value: create() };
    shared[symbol] = slot;
    return slot.value;
  }
  if (found.version === version) return found.value;
  warnOnce(key, found.version, version);
  return create();
}

function warnOnce(key: string, theirs: number, ours: number): void {
  const shared = globalThis as unknown as Shared;
  const warned = (shared[WARNED] as Set<string> | undefined) ?? new Set<string>();
  shared[WARNED] = warned;
  const pkg = key.split('.')[0] ?? key;
  if (warned.has(pkg)) return;
  warned.add(pkg);
  const message =
    `${pkg}: two incompatible copies are loaded in this process: "${key}" has layout ` +
    `${theirs} in the first and ${ours} in this one, so this copy keeps its own (and so for ` +
    'any other state whose layout differs): the two do not share it, be it the request ' +
    `context, shutdown hooks or a registry. Install one version of ${pkg} (npm ls ${pkg}).`;
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
    process.emitWarning(message, { code: SINGLETON_WARNING_CODE });
  } else {
    console.warn(message);
  }
}
