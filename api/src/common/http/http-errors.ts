import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

/** Express's own errors (body parsing, mostly) as the same JSON error shape as GraphQL's, never its HTML page. */
export function httpErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, type } = (error ?? {}) as { status?: number; type?: string };
    const requestId = String(res.locals.requestId);
    const reply = (code: number, errorCode: string, message: string) =>
      res.status(code).json({ errors: [{ message, extensions: { code: errorCode, requestId } }] });
    if (type === 'entity.parse.failed') return reply(400, 'BAD_REQUEST', 'The request body is not valid JSON');
    if (type === 'entity.too.large') return reply(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported')
      return reply(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as UTF-8 JSON');
    if (typeof status === 'number' && status >= 400 && status < 500) return reply(status, 'BAD_REQUEST', 'The request could not be read');
    logger.error({ requestId, err: { type: (error as { name?: string })?.name } }, 'HTTP request failed');
    return reply(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  };
}
