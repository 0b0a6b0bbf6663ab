import type { Request } from 'express';
import { getOperationAST, parse, print, type OperationTypeNode } from 'graphql';

/** What the handler needs to know of a POSTed operation before its transaction opens. */
export interface SentOperation {
  /** The operation the request selects; null when the document does not parse or has no such operation. */
  operation: OperationTypeNode | null;
  /** The document printed (normalised, for fingerprints); null when it does not parse. */
  printed: string | null;
}

/** Documents seen lately, most recent last: clients send the same few shapes again and again. */
const seen = new Map<string, SentOperation>();
const SEEN_LIMIT = 500;
const CACHEABLE_LENGTH = 16_384;

/**
 * The operation a POST sends, parsed once per document shape (Apollo parses it again, from its
 * own cache): the handler opens a mutation's transaction differently (its first savepoint and an
 * Idempotency-Key claim travel with the opening query). GET requests never carry mutations.
 */
export function sentOperation(req: Request, maxTokens: number): SentOperation | null {
  const body = req.body as { query?: unknown; operationName?: unknown } | undefined;
  if (req.method !== 'POST' || typeof body?.query !== 'string') return null;
  const operationName = typeof body.operationName === 'string' ? body.operationName : null;
  const key = `${JSON.stringify(operationName)}:${body.query}`;
  const hit = seen.get(key);
  if (hit) {
    seen.delete(key);
    seen.set(key, hit);
    return hit;
  }
  let sent: SentOperation;
  try {
    const document = parse(body.query, { maxTokens });
    sent = { operation: getOperationAST(document, operationName)?.operation ?? null, printed: print(document) };
  } catch {
    sent = { operation: null, printed: null };
  }
  if (body.query.length <= CACHEABLE_LENGTH) {
    seen.set(key, sent);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.keys().next().value!);
  }
  return sent;
}
