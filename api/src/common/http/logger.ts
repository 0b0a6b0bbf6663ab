import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Credentials and request payloads never reach the logs: bearer tokens, API keys, passwords,
 * secrets, and the GraphQL query and variables (which carry personal data and passwords).
 */
export const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'cookie',
  '*.cookie',
  'password',
  '*.password',
  '*.*.password',
  'token',
  '*.token',
  '*.*.token',
  'secret',
  '*.secret',
  'secretHash',
  '*.secretHash',
  'apiKey',
  '*.apiKey',
  'variables',
  '*.variables',
  'query',
  '*.query',
];

const REDACT = { paths: REDACT_PATHS, censor: '[redacted]' };

/** Structured logs; credentials never reach them. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino({ level, redact: REDACT }, destination) : pino({ level, redact: REDACT });
}

/** The same redaction on a logger made elsewhere (tests, embedding applications). */
export function withRedaction(logger: Logger): Logger {
  return logger.child({}, { redact: REDACT });
}
