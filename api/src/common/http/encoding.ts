import type { IncomingHttpHeaders } from 'node:http';

export type ContentEncoding = 'br' | 'gzip';

/**
 * The encoding to answer with: brotli when the client accepts it (it is smaller than gzip for
 * the same text), gzip otherwise, none when it accepts neither. Our preference, not the order
 * the client lists them in, breaks ties: browsers send "gzip, deflate, br" and mean any of them.
 */
export function acceptedEncoding(headers: IncomingHttpHeaders): ContentEncoding | null {
  const header = headers['accept-encoding'];
  if (!header) return null;
  const quality = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    quality.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const accepts = (name: ContentEncoding) => (quality.get(name) ?? quality.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return null;
}
