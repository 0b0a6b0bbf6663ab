import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { print, type FormattedExecutionResult } from 'graphql';
import type { Request } from 'express';
import pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { API_KEY_PATTERN, hashSecret } from '../auth/session.js';
import { classifyFailure, sqlStateOf } from '../errors/errors.js';
import type { Context } from '../../context.js';
import { requestStateOf } from './request-state.js';
import type { SentOperation } from './sent-operation.js';

const { escapeLiteral } = pg;

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

export const IN_FLIGHT = 'A request with this Idempotency-Key is still being processed; retry later';

function fingerprintOf(document: string, operationName: string | null | undefined, variables: unknown): string {
  return createHash('sha256')
    .update(canonical({ document, operationName: operationName ?? null, variables: variables ?? {} }))
    .digest('hex');
}

/** An Idempotency-Key claim that travels with the request's opening statement. */
export interface Preclaim {
  fingerprint: string;
  /** Inserts the key's row for the bearer's API key, returning its id, or else the row the key has already. */
  sql: string;
}

/**
 * The claim, when the request is sure to need one: a POST whose document is a mutation, sent with
 * an API key and a well-formed Idempotency-Key. It runs right after the opening statement, in its
 * round trip and with its session (role, lock_timeout), on the same API key the opening resolves
 * (same prefix, same secret hash, live). Anything else is claimed, if at all, by the plugin.
 */
export function preclaimFor(req: Request, sent: SentOperation | null): Preclaim | null {
  const key = req.headers['idempotency-key'];
  const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7).trim() : '';
  const apiKey = API_KEY_PATTERN.exec(bearer);
  const body = req.body as { operationName?: unknown; variables?: unknown } | undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key) || !apiKey || sent?.operation !== 'mutation' || sent.printed === null) return null;
  const operationName = typeof body?.operationName === 'string' ? body.operationName : null;
  const fingerprint = fingerprintOf(sent.printed, operationName, body?.variables);
  // The key's row as it was when the statement began comes back with it when the insert found one
  // (a replay costs no read of its own); one still being written by a request that has not
  // committed yet is waited for by the insert but not seen by the read, and is read afterwards.
  const sql = `with a as (
       select a.id from api_key a
       where a.prefix = ${escapeLiteral(apiKey[1]!)} and a.secret_hash = ${escapeLiteral(hashSecret(apiKey[2]!))}
         and a.revoked_at is null and (a.expires_at is null or a.expires_at > now())),
     claimed as (
       insert into idempotency_key (id, api_key_id, key, fingerprint)
       select gen_random_uuid(), a.id, ${escapeLiteral(key)}, ${escapeLiteral(fingerprint)} from a
       on conflict (api_key_id, key) do nothing returning id::text as id)
     select id, null::text as fingerprint, null::int as status, null::text as response from claimed
     union all
     select null, k.fingerprint, k.status, k.response from idempotency_key k join a on k.api_key_id = a.id
     where k.key = ${escapeLiteral(key)} and not exists (select from claimed)`;
  return { fingerprint, sql };
}

/** What the preclaim found: the id of the row it inserted, or the key's existing row when it could see it. */
export interface Preclaimed {
  id: string | null;
  stored: StoredKey | null;
}

export function preclaimed(rows: Record<string, unknown>[]): Preclaimed {
  const [row] = rows;
  if (typeof row?.id === 'string') return { id: row.id, stored: null };
  if (typeof row?.fingerprint === 'string') {
    return {
      id: null,
      stored: {
        fingerprint: row.fingerprint,
        status: typeof row.status === 'number' ? row.status : null,
        response: typeof row.response === 'string' ? row.response : null,
      },
    };
  }
  return { id: null, stored: null };
}

function refusal(status: number, code: string, message: string, headers: [string, string][] = []): GraphQLResponse {
  return {
    http: { status, headers: new HeaderMap(headers) },
    body: { kind: 'single', singleResult: { errors: [{ message, extensions: { code } }] } },
  };
}

export interface StoredKey {
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
          const fingerprint = fingerprintOf(print(document), request.operationName, request.variables);
          const state = requestStateOf(contextValue);
          const preclaim = state?.preclaim;
          let claimed: Awaited<ReturnType<typeof claim>>;
          try {
            if (preclaim && preclaim.fingerprint === fingerprint) {
              // Claimed by the opening round trip already.
              if (state) state.preclaim = null;
              claimed = preclaim.id ?? preclaim.stored ?? (await stored(contextValue.em, viewer.id, key));
            } else claimed = await claim(contextValue.em, viewer.id, key, fingerprint);
          } catch (error) {
            if (!classifyFailure(error) || !state) throw error;
            // The handler retries the request or answers 503; this response is never sent.
            state.retryable = true;
            return refusal(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry shortly', [['retry-after', '1']]);
          }
          if (claimed === 'busy') return refusal(409, 'IDEMPOTENCY_KEY_IN_FLIGHT', IN_FLIGHT, [['retry-after', '1']]);
          if (typeof claimed === 'string') {
            if (state) state.idempotency = { id: claimed, replayed: false };
            return null;
          }
          if (claimed.fingerprint !== fingerprint)
            return refusal(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request');
          if (claimed.response === null) return refusal(409, 'IDEMPOTENCY_KEY_IN_FLIGHT', IN_FLIGHT, [['retry-after', '1']]);
          if (state) state.idempotency = { id: 'replayed', replayed: true };
          return {
            http: { status: claimed.status ?? 200, headers: new HeaderMap([['idempotent-replayed', 'true']]) },
            body: { kind: 'single', singleResult: JSON.parse(claimed.response) as FormattedExecutionResult },
          };
        },
        async willSendResponse({ response, contextValue }) {
          const state = requestStateOf(contextValue);
          // Claimed with the opening, but the operation never got here (it did not validate, it
          // was no mutation): the claim goes, as if it had never been made.
          if (state?.preclaim?.id) {
            state.withCommit = `delete from idempotency_key where id = ${escapeLiteral(state.preclaim.id)}::uuid`;
            return;
          }
          const claimedId = state?.idempotency;
          if (!state || !claimedId || claimedId.replayed || state.retryable || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const transient = result.errors?.some((error) => TRANSIENT_CODES.has(String(error.extensions?.code)));
          // Sent with COMMIT, in its round trip: the key commits with its stored response or not at
          // all (a failure fails the commit, and the handler answers as for any failed commit).
          const id = escapeLiteral(claimedId.id);
          state.withCommit = transient
            ? `delete from idempotency_key where id = ${id}::uuid`
            : `update idempotency_key set status = ${Number(response.http.status ?? 200)}, response = ${escapeLiteral(JSON.stringify(result))} where id = ${id}::uuid`;
        },
      };
    },
  };
}

/**
 * The new row's id; the existing row; or 'busy' when its first request outlasted lock_timeout.
 * No savepoint: a new key costs one statement. After a lock timeout the transaction is aborted,
 * which is fine, since the 409 is then the request's whole answer and nothing is left to commit.
 */
async function claim(em: EntityManager, apiKeyId: string, key: string, fingerprint: string): Promise<string | StoredKey | 'busy'> {
  try {
    const inserted = await em.execute<{ id: string }[]>(
      `insert into idempotency_key (id, api_key_id, key, fingerprint) values (gen_random_uuid(), ?, ?, ?)
       on conflict (api_key_id, key) do nothing returning id`,
      [apiKeyId, key, fingerprint],
    );
    if (inserted[0]) return inserted[0].id;
  } catch (error) {
    if (sqlStateOf(error) === '55P03') return 'busy';
    throw error;
  }
  return stored(em, apiKeyId, key);
}

/** The key's existing row, or 'busy' when it is gone again (its first request rolled back meanwhile). */
async function stored(em: EntityManager, apiKeyId: string, key: string): Promise<StoredKey | 'busy'> {
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
