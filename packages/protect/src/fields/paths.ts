/**
 * Dotted paths into plain JSON-like objects: `metadata.email`, `changes.after.phone`,
 * `targets.0.name`, and `*` for every member of an array or object (`targets.*.name`).
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The concrete paths a pattern reaches in `root` that hold a value (not undefined). */
export function expandPath(root: unknown, pattern: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown, segments: string[], at: string[]) => {
    if (segments.length === 0) {
      if (node !== undefined) out.push(at.join('.'));
      return;
    }
    if (!isObject(node)) return;
    const [head, ...rest] = segments as [string, ...string[]];
    const keys = head === '*' ? Object.keys(node) : Object.hasOwn(node, head) ? [head] : [];
    for (const k of keys) walk(node[k], rest, [...at, k]);
  };
  walk(root, pattern.split('.'), []);
  return out;
}

export function getPath(root: unknown, path: string): unknown {
  let node = root;
  for (const k of path.split('.')) {
    if (!isObject(node) || !Object.hasOwn(node, k)) return undefined;
    node = node[k];
  }
  return node;
}

/** Sets a value at a path that exists (as `expandPath` found it). */
export function setPath(root: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parent = keys.length === 0 ? root : getPath(root, keys.join('.'));
  if (isObject(parent)) parent[last] = value;
}

/** Every path below `root` holding a string `match` accepts. */
export function findStrings(root: unknown, match: (s: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (node: unknown, at: string[]) => {
    if (typeof node === 'string') {
      if (match(node)) out.push(at.join('.'));
    } else if (isObject(node)) {
      for (const k of Object.keys(node)) walk(node[k], [...at, k]);
    }
  };
  walk(root, []);
  return out;
}
