import { pipeline } from 'node:stream/promises';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { acceptedEncoding } from './encoding.js';

/** Below this, compressing saves less than it costs (a page of rows is tens of KB and shrinks ~10×). */
const COMPRESS_MIN_BYTES = 1024;

/**
 * Sends the final body, compressed when the client accepts it and it is worth it. Brotli at a
 * middle quality: the densest levels cost more CPU per request than they save on the wire.
 */
export async function sendBody(req: Request, res: Response, status: number, body: string): Promise<void> {
  res.status(status);
  res.vary('Accept-Encoding');
  const bytes = Buffer.byteLength(body);
  const encoding = bytes >= COMPRESS_MIN_BYTES ? acceptedEncoding(req.headers) : null;
  if (!encoding) {
    // Not res.send: its ETag is a SHA-1 of every body, and a GraphQL answer is never revalidated.
    if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', bytes);
    res.end(body);
    return;
  }
  res.setHeader('content-encoding', encoding);
  res.removeHeader('content-length');
  const compressor =
    encoding === 'br'
      ? createBrotliCompress({
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes,
          },
        })
      : createGzip();
  compressor.end(body);
  // A client that went away ends the pipeline early; the request's end is awaited by the caller anyway.
  await pipeline(compressor, res).catch(() => undefined);
}
