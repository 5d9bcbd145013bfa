export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      ...(value.cause ? { cause: serialise(value.cause) } : {}),
    };
  }
  return value;
}

/** JSON-lines logger on stderr (stdout carries the audit lines). */
export function createLogger(
  level: LogLevel = 'info',
  write = (line: string) => process.stderr.write(`${line}\n`),
) {
  const emit =
    (lvl: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[lvl] < ORDER[level]) return;
      const entry: Record<string, unknown> = { level: lvl, time: new Date().toISOString(), message };
      for (const [k, v] of Object.entries(fields)) entry[k] = serialise(v);
      write(JSON.stringify(entry));
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
  } satisfies Logger;
}
