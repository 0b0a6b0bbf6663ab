import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { print, type FormattedExecutionResult } from 'graphql';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { classifyFailure, sqlStateOf } from '../errors/errors.js';
import type { Context } from '../../context.js';
import { requestStateOf } from './request-state.js';

/** Printable ASCII without spaces, as the IETF draft's examples (UUIDs, ULIDs, random tokens). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Codes whose response must not be replayed: the request may well succeed when sent again. */
const TRANSIENT_CODES = new Set(['INTERNAL_SERVER_ERROR', 'TIMEOUT', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE']);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function refusal(status: number, code: string, message: string, headers: [string, string][] = []): GraphQLResponse {
  return {
    http: { status, headers: new HeaderMap(headers) },
    body: { kind: 'single', singleResult: { errors: [{ message, extensions: { code } }] } },
  };
}

interface StoredKey {
  fingerprint: string;
  status: number | null;
  response: string | null;
}

/**
 * `Idempotency-Key` for mutations sent with an API key (IETF draft
 * "The Idempotency-Key HTTP Header Field"). The key row is inserted first, in the request's own
 * transaction, so it commits or rolls back together with the mutation's effect:
 * - a new key runs the mutation and stores its response before commit;
 * - the same key and the same request replays the stored response (`Idempotent-Replayed: true`);
 * - the same key with a different request is refused with 422;
 * - a key whose first request is still running makes a duplicate wait on the row's unique index
 *   (then replay), and after lock_timeout answers 409.
 * Keys are scoped per API key and purged after IDEMPOTENCY_RETENTION_HOURS.
 */
export function idempotencyPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const key = request.http?.headers.get('idempotency-key');
      if (key === undefined) return {};
      return {
        async responseForOperation({ operation, document, contextValue }) {
          const viewer = contextValue.viewer;
          if (operation.operation !== 'mutation' || viewer?.kind !== 'API_KEY') return null;
          if (!KEY_PATTERN.test(key)) return refusal(400, 'BAD_REQUEST', 'Idempotency-Key must be 1–255 visible ASCII characters');
          const fingerprint = createHash('sha256')
            .update(
              canonical({ document: print(document), operationName: request.operationName ?? null, variables: request.variables ?? {} }),
            )
            .digest('hex');
          const state = requestStateOf(contextValue);
          let claimed: Awaited<ReturnType<typeof claim>>;
          try {
            claimed = await claim(contextValue.em, viewer.id, key, fingerprint);
          } catch (error) {
            if (!classifyFailure(error) || !state) throw error;
            // The handler retries the request or answers 503; this response is never sent.
            state.retryable = true;
            return refusal(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry shortly', [['retry-after', '1']]);
          }
          if (claimed === 'busy')
            return refusal(409, 'IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry later', [
              ['retry-after', '1'],
            ]);
          if (typeof claimed === 'string') {
            if (state) state.idempotency = { id: claimed, replayed: false };
            return null;
          }
          if (claimed.fingerprint !== fingerprint)
            return refusal(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request');
          if (claimed.response === null)
            return refusal(409, 'IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry later', [
              ['retry-after', '1'],
            ]);
          if (state) state.idempotency = { id: 'replayed', replayed: true };
          return {
            http: { status: claimed.status ?? 200, headers: new HeaderMap([['idempotent-replayed', 'true']]) },
            body: { kind: 'single', singleResult: JSON.parse(claimed.response) as FormattedExecutionResult },
          };
        },
        async willSendResponse({ response, contextValue }) {
          const state = requestStateOf(contextValue);
          const claimedId = state?.idempotency;
          if (!state || !claimedId || claimedId.replayed || state.retryable || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const transient = result.errors?.some((error) => TRANSIENT_CODES.has(String(error.extensions?.code)));
          try {
            if (transient) {
              await contextValue.em.execute('delete from idempotency_key where id = ?', [claimedId.id]);
            } else {
              await contextValue.em.execute('update idempotency_key set status = ?, response = ? where id = ?', [
                response.http.status ?? 200,
                JSON.stringify(result),
                claimedId.id,
              ]);
            }
          } catch {
            // Without its stored response the key must not commit: the handler rolls back (and retries).
            state.retryable = true;
          }
        },
      };
    },
  };
}

/** The new row's id; the existing row; or 'busy' when its first request outlasted lock_timeout. */
async function claim(em: EntityManager, apiKeyId: string, key: string, fingerprint: string): Promise<string | StoredKey | 'busy'> {
  await em.execute('savepoint idempotency_claim');
  try {
    const inserted = await em.execute<{ id: string }[]>(
      `insert into idempotency_key (id, api_key_id, key, fingerprint) values (gen_random_uuid(), ?, ?, ?)
       on conflict (api_key_id, key) do nothing returning id`,
      [apiKeyId, key, fingerprint],
    );
    await em.execute('release savepoint idempotency_claim');
    if (inserted[0]) return inserted[0].id;
  } catch (error) {
    await em.execute('rollback to savepoint idempotency_claim');
    await em.execute('release savepoint idempotency_claim');
    if (sqlStateOf(error) === '55P03') return 'busy';
    throw error;
  }
  const [row] = await em.execute<StoredKey[]>(
    'select fingerprint, status, response from idempotency_key where api_key_id = ? and key = ?',
    [apiKeyId, key],
  );
  return row ?? 'busy';
}

const PURGE_EVERY_MS = 3600_000;

/** Idempotency keys are kept at least `retentionHours`, then purged hourly; returns the function that stops it. */
export function startIdempotencyPurge(orm: MikroORM, retentionHours: number, logger: Logger): () => void {
  const purge = async () => {
    try {
      await orm.em
        .getConnection()
        .execute(`delete from idempotency_key where created_at < now() - make_interval(hours => ?)`, [retentionHours]);
    } catch (error) {
      logger.warn({ err: { type: (error as Error)?.name } }, 'could not purge old idempotency keys');
    }
  };
  const timer = setInterval(() => void purge(), PURGE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
