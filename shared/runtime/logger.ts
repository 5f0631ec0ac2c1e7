import { Logger } from '@aws-lambda-powertools/logger';
import { redact, redactString } from './redact.ts';

export type SafeLogger = {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
  appendKeys(keys: { incidentId?: string; executionId?: string; alertId?: string }): void;
};

/** Powertools Logger behind a redacting facade: every message and attribute is scrubbed. */
export function createLogger(serviceName: string, sink?: Logger): SafeLogger {
  const logger =
    sink ??
    new Logger({
      serviceName,
      logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
    });
  const emit =
    (level: 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) => {
      const safe = extra ? (redact(extra) as Record<string, unknown>) : undefined;
      if (safe) logger[level](redactString(message), safe);
      else logger[level](redactString(message));
    };
  return {
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    appendKeys: (keys) => logger.appendKeys(redact(keys) as Record<string, string>),
  };
}
