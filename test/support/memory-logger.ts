export interface LoggedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  fields: Record<string, unknown>;
  message?: string;
}

type Log = (fields: object, message?: string) => void;

/** A logger with @platform/core's `PlatformLogger` shape that keeps every line, for tests. */
export function memoryLogger(): {
  logger: { error: Log; warn: Log; info: Log; debug: Log };
  lines: LoggedLine[];
} {
  const lines: LoggedLine[] = [];
  const at = (level: LoggedLine['level']) => (fields: object, message?: string) =>
    void lines.push({ level, fields: fields as Record<string, unknown>, message });
  const logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
  return { logger, lines };
}
