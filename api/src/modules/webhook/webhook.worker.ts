import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { apiKeyViewerById, enterSession } from '../../common/auth/session.js';
import { pgArray } from '../../common/orm/pg-array.js';
import type { Config } from '../../config.js';
import { ChangeCursorExpiredError, ChangeEntity, ChangeService, type ChangeEventView } from '../change/index.js';
import { SecretBox, signedHeaders } from './webhook.signing.js';
import { postWebhook, type AttemptOutcome } from './webhook.target.js';

/** Events read from the feed per page, pages per webhook per pass. */
const PAGE = 100;
const PAGES_PER_PASS = 10;
/**
 * Attempts in flight in this process, in all and per webhook: a webhook with a long backlog or a
 * receiver that hangs until the timeout holds its own slots only, never another webhook's.
 */
const MAX_IN_FLIGHT = 32;
const PER_WEBHOOK_IN_FLIGHT = 8;
/** Beyond the attempt's timeout: how long a claim stays a worker's before another may retry it (a crashed worker's runs out). */
const LEASE_SLACK_MS = 5_000;

const ENTITY_NAMES = new Map<string, string>(Object.entries(ChangeEntity).map(([name, value]) => [value, name]));

interface HookRow {
  id: string;
  apiKeyId: string;
  cursor: string | null;
  eventTypes: string[];
  fieldFilter: string[];
}

interface ClaimedRow {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
  previousSecret: string | null;
}

/** `*.updated` events pass a field filter when one of its fields changed (as the key may learn them); other types always pass. */
export function passesFieldFilter(event: Pick<ChangeEventView, 'type' | 'fields'>, filter: readonly string[]): boolean {
  return filter.length === 0 || !event.type.endsWith('.updated') || event.fields.some((field) => filter.includes(field));
}

/** Full jitter: a random delay up to min(max, base · 2^(attempt-1)). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.floor(Math.random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 40)));
}

/** The body sent for an event: the feed's event as the key sees it, and the cursor to resume `changes` from. */
function bodyOf(webhookId: string, event: ChangeEventView): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    entity: ENTITY_NAMES.get(event.entity) ?? event.entity,
    entityId: event.entityId,
    customerId: event.customerId,
    fields: event.fields,
    tombstone: event.tombstone,
    // customer.merged: the survivor where the key may know both ends (the feed's app_merge_lineage), else null.
    mergedInto: event.mergedInto,
    actor: event.actor,
    origin: event.origin,
    occurredAt: event.occurredAt.toISOString(),
    cursor: event.cursor,
    webhookId,
  });
}

export interface WebhookWorker {
  /** One pass now: queue new events, then attempt what is due (and wait for those attempts). True when there was work. */
  runOnce(): Promise<boolean>;
  /** There may be new work (a commit in this process): look now instead of at the next poll. */
  nudge(): void;
  /** Stops polling and waits for the attempts in flight to be recorded. */
  stop(): Promise<void>;
}

export interface WebhookWorkerOptions {
  orm: MikroORM;
  config: Config;
  logger: Logger;
}

/**
 * Delivers the change feed to webhooks, at least once, in two steps:
 *
 * 1. Queue: for each enabled webhook (its row locked `for update skip locked`, so one process at a
 *    time), read the feed after its cursor *as its API key* through ChangeService (same row-level
 *    security, masks and tombstones as `changes`), queue the events that pass its types and field
 *    filter, and advance the cursor, all in one transaction: a crash loses nothing and queues nothing twice.
 * 2. Attempt: claim due deliveries with `for update skip locked`, each only when no earlier delivery
 *    of the same webhook and entity is still pending (per-entity order), leasing it for the attempt's
 *    timeout; send; record the attempt, and success or the next retry, in one transaction. A crash
 *    mid-attempt leaves the lease to run out, and the attempt is made again (hence at least once).
 */
export function startWebhookWorker({ orm, config, logger }: WebhookWorkerOptions): WebhookWorker {
  const settings = config.webhooks;
  const box = new SecretBox(config.authSecret);
  const fork = () => orm.em.fork() as EntityManager;
  let stopped = false;
  let wake: (() => void) | null = null;

  async function disable(webhookId: string, reason: string): Promise<void> {
    await fork().transactional(async (tx) => {
      const [hook] = await tx.execute<{ url: string; apiKeyName: string }[]>(
        `update webhook w set enabled = false, disabled_at = now(), disabled_reason = ? from api_key k
          where w.id = ? and w.enabled and k.id = w.api_key_id returning w.url, k.name as "apiKeyName"`,
        [reason, webhookId],
      );
      if (!hook) return;
      await tx.execute(
        `insert into notification (user_id, kind, subject_id, params)
         select u.id, 'WEBHOOK_DISABLED', ?, jsonb_build_object('webhookUrl', ?::text, 'apiKeyName', ?::text, 'status', ?::text)
           from app_user u where u.active and u.role = 'ADMIN'`,
        [webhookId, hook.url, hook.apiKeyName, reason],
      );
    });
    logger.warn({ webhookId, reason }, 'webhook disabled');
  }

  /** Queues what the key may see after the webhook's cursor; returns how many events were queued. */
  async function queue(webhookId: string): Promise<number> {
    return fork().transactional(async (tx) => {
      const [hook] = await tx.execute<HookRow[]>(
        `select id, api_key_id as "apiKeyId", cursor, event_types as "eventTypes", field_filter as "fieldFilter"
           from webhook where id = ? and enabled for update skip locked`,
        [webhookId],
      );
      if (!hook) return 0;
      const viewer = await apiKeyViewerById(tx as EntityManager, hook.apiKeyId);
      if (!viewer) return 0;
      // From here on the transaction is the key's: accountable_app, its reach, row-level security.
      await enterSession(tx as EntityManager, viewer, config.territoryAccess, config.timeouts);
      const feed = new ChangeService({ em: tx as EntityManager });
      let cursor = hook.cursor;
      let queued = 0;
      for (let page = 0; page < PAGES_PER_PASS; page += 1) {
        const result = await feed.list(viewer, { after: cursor ?? undefined, first: PAGE, types: hook.eventTypes });
        const events = result.edges.map((edge) => edge.node).filter((event) => passesFieldFilter(event, hook.fieldFilter));
        if (events.length) {
          await tx.execute(
            `insert into webhook_delivery (webhook_id, event_id, event_type, entity, entity_id, payload) values ${events.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
            events.flatMap((event) => [hook.id, event.id, event.type, event.entity, event.entityId, bodyOf(hook.id, event)]),
          );
          queued += events.length;
        }
        cursor = result.pageInfo.endCursor ?? cursor;
        if (!result.pageInfo.hasNextPage) break;
      }
      if (cursor !== hook.cursor) await tx.execute(`update webhook set cursor = ? where id = ?`, [cursor, hook.id]);
      return queued;
    });
  }

  async function queueAll(): Promise<number> {
    const hooks = await fork().execute<{ id: string }[]>(
      `select w.id from webhook w join api_key k on k.id = w.api_key_id
        where w.enabled and k.revoked_at is null and (k.expires_at is null or k.expires_at > now()) order by w.id`,
    );
    let queued = 0;
    for (const { id } of hooks) {
      if (stopped) break;
      try {
        queued += await queue(id);
      } catch (error) {
        if (error instanceof ChangeCursorExpiredError) await disable(id, 'CURSOR_EXPIRED');
        else logger.warn({ webhookId: id, err: { type: (error as Error)?.name } }, 'webhook: could not read the change feed');
      }
    }
    return queued;
  }

  async function record(claim: ClaimedRow, outcome: AttemptOutcome): Promise<void> {
    let giveUp = false;
    await fork().transactional(async (tx) => {
      await tx.execute(
        `insert into webhook_attempt (delivery_id, webhook_id, event_id, event_type, attempt, succeeded, status_code, error_kind, latency_ms, response_excerpt)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          claim.id,
          claim.webhookId,
          claim.eventId,
          claim.eventType,
          claim.attempts,
          outcome.succeeded,
          outcome.statusCode,
          outcome.errorKind,
          outcome.latencyMs,
          outcome.responseExcerpt,
        ],
      );
      if (outcome.succeeded) {
        await tx.execute(`update webhook_delivery set state = 'DELIVERED', delivered_at = now() where id = ?`, [claim.id]);
        await tx.execute(`update webhook set failing_since = null, last_success_at = now() where id = ?`, [claim.webhookId]);
        return;
      }
      const delay = backoffMs(claim.attempts, settings.retryBaseMs, settings.retryMaxMs);
      await tx.execute(`update webhook_delivery set next_attempt_at = now() + make_interval(secs => ?) where id = ?`, [
        delay / 1000,
        claim.id,
      ]);
      const [hook] = await tx.execute<{ giveUp: boolean }[]>(
        `update webhook set failing_since = coalesce(failing_since, now()) where id = ?
         returning enabled and failing_since <= now() - make_interval(secs => ?) as "giveUp"`,
        [claim.webhookId, settings.retryWindowMs / 1000],
      );
      giveUp = Boolean(hook?.giveUp);
    });
    if (giveUp) await disable(claim.webhookId, 'FAILING');
  }

  async function attempt(claim: ClaimedRow): Promise<void> {
    let outcome: AttemptOutcome;
    try {
      const secrets = [box.open(claim.secret), ...(claim.previousSecret ? [box.open(claim.previousSecret)] : [])];
      outcome = await postWebhook(claim.url, claim.payload, signedHeaders(claim.eventId, claim.payload, secrets), {
        timeoutMs: settings.timeoutMs,
        allowPrivateTargets: settings.allowPrivateTargets,
      });
    } catch {
      outcome = { succeeded: false, statusCode: null, errorKind: 'INTERNAL', latencyMs: 0, responseExcerpt: null };
    }
    try {
      await record(claim, outcome);
    } catch (error) {
      // The webhook was deleted meanwhile, or the database is away: the lease runs out and it is retried.
      logger.warn({ webhookId: claim.webhookId, err: { type: (error as Error)?.name } }, 'webhook: could not record an attempt');
    }
  }

  /** Attempts running now, per webhook; each removes itself when recorded. */
  const inFlight = new Map<string, Set<Promise<void>>>();
  let running = 0;

  /**
   * Claims what is due, round robin over webhooks: each webhook's oldest deliverable rows up to its
   * free slots, the first of every webhook before the second of any; starts their attempts and
   * returns them without waiting.
   */
  async function claimDue(): Promise<Promise<void>[]> {
    const slots = MAX_IN_FLIGHT - running;
    if (slots <= 0) return [];
    const busy = [...inFlight].filter(([, attempts]) => attempts.size > 0);
    const claims = await fork().execute<ClaimedRow[]>(
      `with busy as (select * from unnest(?::text[], ?::int[]) as b(webhook_id, n)),
       candidate as (
         select c.id, c.rank from webhook w
           join api_key k on k.id = w.api_key_id
           left join busy on busy.webhook_id = w.id::text
           cross join lateral (
             select q.id, row_number() over (order by q.id) as rank from (
               select d.id from webhook_delivery d
                where d.webhook_id = w.id and d.state = 'PENDING' and d.next_attempt_at <= now()
                  and not exists (select 1 from webhook_delivery p where p.webhook_id = d.webhook_id and p.entity = d.entity
                                    and p.entity_id = d.entity_id and p.state = 'PENDING' and p.id < d.id)
                order by d.id limit greatest(0, ? - coalesce(busy.n, 0))) q) c
          where w.enabled and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())),
       due as (
         select x.id from webhook_delivery x join candidate c on c.id = x.id
          where x.state = 'PENDING' and x.next_attempt_at <= now()
          order by c.rank, x.id limit ? for update of x skip locked)
       update webhook_delivery d set attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ?)
         from due, webhook w
        where d.id = due.id and w.id = d.webhook_id
       returning d.id::text as id, d.webhook_id as "webhookId", d.event_id::text as "eventId", d.event_type as "eventType", d.payload,
         d.attempts, w.url, w.secret_ciphertext as secret,
         case when w.previous_secret_expires_at > now() then w.previous_secret_ciphertext end as "previousSecret"`,
      [
        pgArray(busy.map(([id]) => id)),
        pgArray(busy.map(([, attempts]) => String(attempts.size))),
        PER_WEBHOOK_IN_FLIGHT,
        slots,
        (settings.timeoutMs + LEASE_SLACK_MS) / 1000,
      ],
    );
    return claims.map((claim) => {
      const mine = inFlight.get(claim.webhookId) ?? new Set<Promise<void>>();
      inFlight.set(claim.webhookId, mine);
      running += 1;
      const run: Promise<void> = attempt(claim).finally(() => {
        running -= 1;
        mine.delete(run);
        if (mine.size === 0) inFlight.delete(claim.webhookId);
        // A slot is free, and the entity's next delivery may now be due.
        slotFreed();
      });
      mine.add(run);
      return run;
    });
  }

  /** One pass: read the feeds into the queues when asked, then claim what is due. */
  async function pass(readFeed: boolean): Promise<{ queued: number; started: Promise<void>[] }> {
    const queued = readFeed ? await queueAll() : 0;
    const started = stopped ? [] : await claimDue();
    return { queued, started };
  }

  async function runOnce(): Promise<boolean> {
    const { queued, started } = await pass(true);
    await Promise.all(started);
    return queued + started.length > 0;
  }

  /**
   * The loop reads the feed when its poll interval has passed or the process knows of a commit
   * (`nudge`), and claims again whenever an attempt ends and frees a slot; one ending attempt does
   * not cost a read of every webhook's feed.
   */
  let queueWanted = true;
  let claimWanted = true;
  function nudge(): void {
    queueWanted = true;
    wake?.();
  }
  function slotFreed(): void {
    claimWanted = true;
    wake?.();
  }

  const loop = (async () => {
    while (!stopped) {
      const readFeed = queueWanted;
      queueWanted = false;
      claimWanted = false;
      try {
        const { queued, started } = await pass(readFeed);
        if (queued > 0) queueWanted = true;
        if (started.length > 0) claimWanted = true;
      } catch (error) {
        logger.warn({ err: { type: (error as Error)?.name } }, 'webhook: delivery pass failed');
      }
      if (!queueWanted && !claimWanted && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            queueWanted = true;
            resolve();
          }, settings.pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  })();

  return {
    runOnce,
    nudge,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all([...inFlight.values()].flatMap((attempts) => [...attempts]));
    },
  };
}

/** Drops delivered queue rows (and their log) older than the change feed's retention. */
export async function pruneWebhookDeliveries(em: EntityManager, retentionDays: number): Promise<number> {
  const [row] = await em.execute<{ pruned: string }[]>(
    `with gone as (delete from webhook_delivery where state = 'DELIVERED' and delivered_at < now() - make_interval(days => ?) returning 1)
     select count(*) as pruned from gone`,
    [retentionDays],
  );
  return Number(row?.pruned ?? 0);
}
