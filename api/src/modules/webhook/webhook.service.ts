import type { EntityManager } from '@mikro-orm/postgresql';
import { type Scope, type Viewer } from '../../common/access/index.js';
import { AppError, BadUserInputError, ForbiddenError, NotFoundError, VersionConflictError } from '../../common/errors/errors.js';
import { DEFAULT_PAGE_SIZE, connectionOf, decodeCursor, encodeCursor, type Connection } from '../../common/graphql/connection.js';
import { isBigintId, isUuid, requireId } from '../../common/graphql/ids.js';
import { lazyCount } from '../../common/orm/keyset.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { transactional } from '../../common/orm/transaction.js';
import type { WebhookConfig } from '../../config.js';
import { ChangeEntity, encodeChangeCursor, ENTITY_SCOPES } from '../change/index.js';
import { isApiKey } from '../access/index.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import { newWebhookSecret, type SecretBox } from './webhook.signing.js';
import { assertTargetUrl } from './webhook.target.js';
import type {
  CreatedWebhook,
  CreateWebhookInput,
  UpdateWebhookInput,
  WebhookAttemptNode,
  WebhookDeliveriesArgs,
  WebhookNode,
  WebhooksArgs,
} from './webhook.types.js';

const SELECT_WEBHOOK = `select w.id, w.api_key_id as "apiKeyId", k.name as "apiKeyName", w.url, w.event_types as "eventTypes",
    w.field_filter as "fieldFilter", w.description, w.enabled, w.disabled_reason as "disabledReason", w.disabled_at as "disabledAt",
    w.failing_since as "failingSince", w.last_success_at as "lastSuccessAt", w.secret_rotated_at as "secretRotatedAt",
    w.previous_secret_expires_at as "previousSecretExpiresAt", w.created_at as "createdAt", w.updated_at as "updatedAt", w.version
  from webhook w join api_key k on k.id = w.api_key_id`;

const ENTITIES = new Set<string>(Object.values(ChangeEntity));
const EVENT_TYPE = /^([a-z_]+)\.([a-z_]+)$/;
const FIELD = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
/**
 * A URL part that may be a credential: long, or not short and with a digit (Slack-style
 * `/services/T0/B0/<token>`, `/hook/s3cr3tT0k3n`, a per-receiver host such as `eo1a2b3c4d.m.example`).
 */
const SECRET_PART = /^(?:[^/]{20,}|(?=[^/]*\d)[^/]{8,})$/;

/**
 * A URL as the audit log keeps it: a query string, a token-like path segment or host label may
 * carry the receiver's credentials, and managers read the log. The registered domain stays.
 */
function auditedUrl(url: string): string {
  const parsed = new URL(url);
  const elide = (part: string) => (SECRET_PART.test(part) ? '…' : part);
  const labels = parsed.hostname.split('.');
  const host = labels.map((label, index) => (index < labels.length - 2 ? elide(label) : label)).join('.');
  const path = parsed.pathname.split('/').map(elide).join('/');
  return `${parsed.protocol}//${host}${parsed.port ? `:${parsed.port}` : ''}${path}${parsed.search ? '?…' : ''}`;
}

/** A key already has as many webhooks as `WEBHOOK_MAX_PER_KEY` allows: one more is refused, nothing written. */
export class WebhookLimitError extends AppError {
  readonly code = 'LIMIT_EXCEEDED';
  constructor(limit: number) {
    super(`This API key already has ${limit} webhooks, the most it may have; delete one first`, { field: 'apiKeyId', limit });
  }
}

function redacted(values: { url?: string }): Record<string, unknown> {
  return values.url ? { ...values, url: auditedUrl(values.url) } : { ...values };
}

/** The end of a position: every event of a transaction below the horizon sorts before it. */
const LAST_ID = '9223372036854775807';

interface KeyRow {
  id: string;
  scopes: Scope[];
  active: boolean;
}

/**
 * Webhooks of API keys. Row-level security scopes every statement (a key sees its own, admins all),
 * so a webhook id of another key is simply NOT_FOUND. Each mutation is one savepoint.
 */
export class WebhookService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
    private readonly config: WebhookConfig,
    private readonly secrets: SecretBox,
  ) {}

  /** The key a new webhook belongs to: an API key its own; an admin names one. */
  private async ownerKey(tx: EntityManager, apiKeyId: string | undefined): Promise<KeyRow> {
    if (isApiKey(this.viewer)) {
      if (apiKeyId && apiKeyId.toLowerCase() !== this.viewer.id) throw new ForbiddenError('An API key manages only its own webhooks');
      return { id: this.viewer.id, scopes: this.viewer.scopes, active: true };
    }
    if (!apiKeyId) throw new BadUserInputError('apiKeyId', 'Name the API key the webhook belongs to');
    const key = await this.keyOf(tx, requireId(apiKeyId, 'apiKeyId'));
    if (!key) throw new BadUserInputError('apiKeyId', 'apiKeyId names no API key');
    if (!key.active) throw new BadUserInputError('apiKeyId', 'That API key is revoked or expired');
    return key;
  }

  private async keyOf(tx: EntityManager, id: string): Promise<KeyRow | null> {
    const [key] = await tx.execute<KeyRow[]>(
      `select id, scopes, (revoked_at is null and (expires_at is null or expires_at > now())) as active from api_key where id = ?`,
      [id],
    );
    return key ?? null;
  }

  /** Known kinds of record, each readable by the key: a subscription it could never receive is a mistake. */
  private eventTypes(types: readonly string[], key: KeyRow): string[] {
    const unique = [...new Set(types.map((type) => type.trim()))];
    for (const type of unique) {
      const entity = EVENT_TYPE.exec(type)?.[1];
      if (!entity || !ENTITIES.has(entity)) throw new BadUserInputError('eventTypes', `${type} is not a change event type`);
      const needed = ENTITY_SCOPES[entity as ChangeEntity];
      if (needed === null)
        throw new BadUserInputError(
          'eventTypes',
          `${type}: transfer and stage-change requests are between people; API keys do not receive them`,
        );
      if (!key.scopes.includes(needed))
        throw new BadUserInputError('eventTypes', `The key cannot read ${entity} events: it lacks ${needed}`);
    }
    return unique.sort();
  }

  private fieldFilter(fields: readonly string[] | undefined): string[] {
    const unique = [...new Set((fields ?? []).map((field) => field.trim()))];
    const bad = unique.find((field) => !FIELD.test(field));
    if (bad !== undefined) throw new BadUserInputError('fieldFilter', `${bad || 'An empty name'} is not a field name`);
    return unique.sort();
  }

  /** Audited with the key's territories, so managers of those regions see it too; never with the secret. */
  private async audit(tx: EntityManager, action: AuditAction, hook: WebhookNode, before?: object, after?: object): Promise<void> {
    const regions = await tx.execute<{ id: string }[]>('select region_id as id from api_key_territory where api_key_id = ?', [
      hook.apiKeyId,
    ]);
    await recordAudit(tx, this.viewer, {
      action,
      entityType: 'Webhook',
      entityId: hook.id,
      regionIds: regions.map((region) => region.id),
      ...(before ? { before: redacted(before) } : {}),
      ...(after ? { after: { ...redacted(after), apiKeyId: hook.apiKeyId } } : {}),
    });
  }

  private async byId(tx: EntityManager, id: string, lock = false): Promise<WebhookNode> {
    const [row] = await tx.execute<WebhookNode[]>(`${SELECT_WEBHOOK} where w.id = ?${lock ? ' for update of w' : ''}`, [id]);
    if (!row) throw new NotFoundError('Webhook', id);
    return row;
  }

  create(input: CreateWebhookInput): Promise<CreatedWebhook> {
    return transactional(this.em, async (tx) => {
      const key = await this.ownerKey(tx, input.apiKeyId);
      const eventTypes = this.eventTypes(input.eventTypes, key);
      const fieldFilter = this.fieldFilter(input.fieldFilter);
      const url = await assertTargetUrl(input.url, this.config.allowPrivateTargets);
      // From now on: every event of a transaction that ended before this one is behind the cursor.
      // The key's creates queue on its lock, so the count below (a statement later, a new snapshot)
      // sees every webhook a concurrent create committed: the cap holds under any race.
      const [head] = await tx.execute<{ xmin: string }[]>(
        `select pg_advisory_xact_lock(hashtextextended('webhook:' || ?, 0)), pg_snapshot_xmin(pg_current_snapshot())::text as xmin`,
        [key.id],
      );
      const cursor = encodeChangeCursor(String(BigInt(head!.xmin) - 1n), LAST_ID);
      const secret = newWebhookSecret();
      const [created] = await tx.execute<{ id: string }[]>(
        `insert into webhook (id, api_key_id, url, event_types, field_filter, description, secret_ciphertext, cursor)
         select gen_random_uuid(), ?, ?, ?::text[], ?::text[], ?, ?, ?
         where (select count(*) from webhook where api_key_id = ?) < ? returning id`,
        [
          key.id,
          url,
          pgArray(eventTypes),
          pgArray(fieldFilter),
          input.description?.trim() || null,
          this.secrets.seal(secret),
          cursor,
          key.id,
          this.config.maxPerKey,
        ],
      );
      if (!created) throw new WebhookLimitError(this.config.maxPerKey);
      const webhook = await this.byId(tx, created!.id);
      await this.audit(tx, AuditAction.WEBHOOK_CREATED, webhook, undefined, { url, eventTypes, fieldFilter });
      return { webhook, secret };
    });
  }

  update(id: string, input: UpdateWebhookInput): Promise<WebhookNode> {
    return transactional(this.em, async (tx) => {
      const current = await this.byId(tx, requireId(id, 'id'), true);
      if (current.version !== input.version) throw new VersionConflictError('Webhook', current.id, current.version);
      const key = (await this.keyOf(tx, current.apiKeyId))!;
      const url = input.url === undefined ? current.url : await assertTargetUrl(input.url, this.config.allowPrivateTargets);
      const eventTypes = input.eventTypes === undefined ? current.eventTypes : this.eventTypes(input.eventTypes, key);
      const fieldFilter = input.fieldFilter === undefined ? current.fieldFilter : this.fieldFilter(input.fieldFilter);
      const description = input.description === undefined ? current.description : input.description.trim() || null;
      const enabled = input.enabled ?? current.enabled;
      const reenabled = enabled && !current.enabled;
      await tx.execute(
        `update webhook set url = ?, event_types = ?::text[], field_filter = ?::text[], description = ?, enabled = ?,
           disabled_at = case when ? then null when ? then now() else disabled_at end,
           disabled_reason = case when ? then null when ? then 'MANUAL' else disabled_reason end,
           failing_since = case when ? then null else failing_since end,
           version = version + 1, updated_at = now()
         where id = ?`,
        [
          url,
          pgArray(eventTypes),
          pgArray(fieldFilter),
          description,
          enabled,
          reenabled,
          !enabled && current.enabled,
          reenabled,
          !enabled && current.enabled,
          reenabled,
          current.id,
        ],
      );
      // Re-enabled: what waited (with backoff up to the maximum) is retried at once, in order.
      if (reenabled)
        await tx.execute(`update webhook_delivery set next_attempt_at = now() where webhook_id = ? and state = 'PENDING'`, [current.id]);
      const next = { url, eventTypes, fieldFilter, description, enabled };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
        (field) => JSON.stringify(next[field]) !== JSON.stringify(current[field]),
      );
      const updated = await this.byId(tx, current.id);
      if (changed.length)
        await this.audit(
          tx,
          AuditAction.WEBHOOK_UPDATED,
          updated,
          Object.fromEntries(changed.map((field) => [field, current[field]])),
          Object.fromEntries(changed.map((field) => [field, next[field]])),
        );
      return updated;
    });
  }

  delete(id: string): Promise<boolean> {
    return transactional(this.em, async (tx) => {
      const current = await this.byId(tx, requireId(id, 'id'), true);
      await tx.execute(`delete from webhook where id = ?`, [current.id]);
      await this.audit(tx, AuditAction.WEBHOOK_DELETED, current, { url: current.url, eventTypes: current.eventTypes });
      return true;
    });
  }

  /** A new secret, shown once; the previous one keeps signing beside it for WEBHOOK_SECRET_OVERLAP_MS. */
  rotateSecret(id: string): Promise<CreatedWebhook> {
    return transactional(this.em, async (tx) => {
      const secret = newWebhookSecret();
      const [row] = await tx.execute<{ version: number | null }[]>(`select app_rotate_webhook_secret(?, ?, ?) as version`, [
        requireId(id, 'id'),
        this.secrets.seal(secret),
        this.config.secretOverlapMs,
      ]);
      if (row?.version == null) throw new NotFoundError('Webhook', id);
      const webhook = await this.byId(tx, id.toLowerCase());
      await this.audit(tx, AuditAction.WEBHOOK_SECRET_ROTATED, webhook, undefined, {
        previousSecretExpiresAt: webhook.previousSecretExpiresAt,
      });
      return { webhook, secret };
    });
  }

  /** Queues the event again, with the body it was first queued with (receivers deduplicate by its id). */
  redeliver(webhookId: string, eventId: string): Promise<boolean> {
    return transactional(this.em, async (tx) => {
      if (!isBigintId(eventId)) throw new BadUserInputError('eventId', 'eventId is not a change event id');
      await this.byId(tx, requireId(webhookId, 'webhookId'));
      const rows = await tx.execute<{ id: string }[]>(
        `insert into webhook_delivery (webhook_id, event_id, event_type, entity, entity_id, payload)
         select webhook_id, event_id, event_type, entity, entity_id, payload from webhook_delivery
          where webhook_id = ? and event_id = ? order by id desc limit 1
         returning id`,
        [webhookId.toLowerCase(), eventId],
      );
      if (!rows.length) throw new NotFoundError('WebhookEvent', eventId);
      return true;
    });
  }

  /** One webhook, or null: another key's does not exist for this one (row-level security). */
  async one(id: string): Promise<WebhookNode | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.em.execute<WebhookNode[]>(`${SELECT_WEBHOOK} where w.id = ?`, [id.toLowerCase()]);
    return row ?? null;
  }

  async list(args: WebhooksArgs): Promise<Connection<WebhookNode>> {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const where: string[] = [];
    const params: unknown[] = [];
    if (args.apiKeyId) {
      where.push('w.api_key_id = ?');
      params.push(requireId(args.apiKeyId, 'apiKeyId'));
    }
    const counted = { where: where.length ? `where ${where.join(' and ')}` : '', params: [...params] };
    if (args.after) {
      const [createdAt, id] = decodeCursor(args.after);
      where.push('(w.created_at, w.id) < (?::timestamptz, ?::uuid)');
      params.push(createdAt, id);
    }
    const rows = await this.em.execute<WebhookNode[]>(
      `${SELECT_WEBHOOK} ${where.length ? `where ${where.join(' and ')}` : ''} order by w.created_at desc, w.id desc limit ${first + 1}`,
      params,
    );
    const hasNextPage = rows.length > first;
    const edges = rows.slice(0, first).map((node) => ({ node, cursor: encodeCursor(node.createdAt, node.id) }));
    return connectionOf(edges, {
      hasNextPage,
      after: args.after,
      totalCount: lazyCount(this.em, `select count(*)::int as count from webhook w ${counted.where}`, counted.params),
    });
  }

  /** The delivery log of one webhook, newest attempt first; the filters count too. */
  async attempts(args: WebhookDeliveriesArgs): Promise<Connection<WebhookAttemptNode>> {
    const webhookId = requireId(args.webhookId, 'webhookId');
    await this.byId(this.em, webhookId);
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const where = ['a.webhook_id = ?'];
    const params: unknown[] = [webhookId];
    if (args.succeeded !== undefined && args.succeeded !== null) {
      where.push('a.succeeded = ?');
      params.push(args.succeeded);
    }
    if (args.eventId !== undefined && args.eventId !== null) {
      if (!isBigintId(args.eventId)) throw new BadUserInputError('eventId', 'eventId is not a change event id');
      where.push('a.event_id = ?::bigint');
      params.push(args.eventId);
    }
    const counted = { where: where.join(' and '), params: [...params] };
    if (args.after) {
      const id = Buffer.from(args.after, 'base64url').toString();
      if (!isBigintId(id)) throw new BadUserInputError('after', 'Invalid cursor');
      where.push('a.id < ?::bigint');
      params.push(id);
    }
    const rows = await this.em.execute<WebhookAttemptNode[]>(
      `select a.id::text as id, a.event_id::text as "eventId", a.event_type as "eventType", a.attempt, a.succeeded, a.status_code as "statusCode",
              a.error_kind as "errorKind", a.latency_ms as "latencyMs", a.response_excerpt as "responseExcerpt", a.attempted_at as "attemptedAt"
       from webhook_attempt a where ${where.join(' and ')} order by a.id desc limit ${first + 1}`,
      params,
    );
    const hasNextPage = rows.length > first;
    const edges = rows.slice(0, first).map((node) => ({ node, cursor: Buffer.from(node.id).toString('base64url') }));
    return connectionOf(edges, {
      hasNextPage,
      after: args.after,
      totalCount: lazyCount(this.em, `select count(*)::int as count from webhook_attempt a where ${counted.where}`, counted.params),
    });
  }
}
