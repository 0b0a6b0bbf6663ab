import { pino, type Logger } from 'pino';

/** Structured logs; credentials never reach them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token', '*.secret', 'variables', 'query'],
      censor: '[redacted]',
    },
  });
}
