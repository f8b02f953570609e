/**
 * The metric names a PromQL expression (or a Grafana `label_values(...)` query) reads:
 * strings, label matchers, ranges, grouping clauses and function names removed, what is
 * left of the identifiers are metric names.
 */
export function metricNames(expr: string): string[] {
  const KEYWORDS = new Set([
    'by',
    'without',
    'on',
    'ignoring',
    'group_left',
    'group_right',
    'and',
    'or',
    'unless',
    'bool',
    'offset',
    'inf',
    'nan',
  ]);
  const stripped = expr
    .replace(/label_values\(\s*([a-zA-Z_:][\w:]*)[^)]*\)/g, '$1') // Grafana: label_values(metric{...}, label)
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+\S+/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][\w:]*/g)) {
    const name = match[0];
    const end = (match.index ?? 0) + name.length;
    if (/^\s*\(/.test(stripped.slice(end))) continue; // a function
    if (KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}
