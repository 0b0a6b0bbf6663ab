import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { BaseEntity } from '../../common/orm/base.entity.js';
import { ApiKey } from '../api-key/api-key.entity.js';

/**
 * A subscription of an API key to the change feed, pushed to `url`. It reads the feed as its key
 * (same row-level security, masks and tombstones as `changes`), from `cursor`, the feed position
 * up to which events have been queued for it. Rows are read and written by webhook.service.ts and
 * webhook.worker.ts in SQL; the secret columns are not selectable by the app role at all.
 */
@Entity({ tableName: 'webhook' })
export class Webhook extends BaseEntity {
  @ManyToOne(() => ApiKey, { ref: true, index: true, deleteRule: 'cascade' })
  apiKey!: Ref<ApiKey>;

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'text[]' })
  eventTypes!: string[];

  /** Non-empty: `*.updated` events are delivered only when one of these fields changed. */
  @Property({ type: 'text[]', default: '{}' })
  fieldFilter!: Opt<string[]>;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'boolean', default: true })
  enabled!: Opt<boolean>;

  /** AES-256-GCM under a key derived from AUTH_SECRET (webhook.signing.ts): a dump alone does not sign. */
  @Property({ type: 'text', lazy: true, hidden: true })
  secretCiphertext!: string;

  /** The secret before the last rotation, signing beside the new one until `previousSecretExpiresAt`. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  previousSecretCiphertext?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  secretRotatedAt?: Date | null;

  /** The change feed cursor up to which events were queued; null: from the start of the feed. */
  @Property({ type: 'text', nullable: true })
  cursor?: string | null;

  /** The first failure since the last success; null while healthy. */
  @Property({ type: 'timestamptz', nullable: true })
  failingSince?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastSuccessAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  disabledAt?: Date | null;

  /** FAILING (the retry window ran out) or CURSOR_EXPIRED (the feed pruned what it had not read). */
  @Property({ type: 'text', nullable: true })
  disabledReason?: string | null;
}

/**
 * One event queued for one webhook, with the body as the key could see the event when it was
 * queued (signed anew, with a fresh timestamp, at each attempt). Per entity, a row is attempted
 * only once every earlier row of the same webhook and entity was delivered.
 */
@Entity({ tableName: 'webhook_delivery' })
@Index({ properties: ['webhook', 'entity', 'entityId', 'state', 'id'] })
// Each webhook's oldest pending rows, read per webhook by the worker's claim however long the backlog.
@Index({
  name: 'webhook_delivery_pending_idx',
  expression: `create index "webhook_delivery_pending_idx" on "webhook_delivery" ("webhook_id", "id") where "state" = 'PENDING'`,
})
export class WebhookDelivery {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Webhook, { ref: true, deleteRule: 'cascade' })
  webhook!: Ref<Webhook>;

  @Property({ type: 'bigint' })
  eventId!: string;

  @Property({ type: 'text' })
  eventType!: string;

  @Property({ type: 'text' })
  entity!: string;

  @Property({ type: 'uuid' })
  entityId!: string;

  /** The exact bytes signed and sent. */
  @Property({ type: 'text' })
  payload!: string;

  /** PENDING or DELIVERED. */
  @Property({ type: 'text', default: 'PENDING' })
  state!: Opt<string>;

  @Property({ type: 'integer', default: 0 })
  attempts!: Opt<number>;

  /** Due time; while an attempt runs, the end of its lease (a crashed worker's claim runs out). */
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  @Index()
  nextAttemptAt!: Opt<Date>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Opt<Date>;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;
}

/** The delivery log: one row per attempt. Never headers or secrets; at most the start of the response body. */
@Entity({ tableName: 'webhook_attempt' })
@Index({ properties: ['webhook', 'id'] })
export class WebhookAttempt {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => WebhookDelivery, { ref: true, index: true, deleteRule: 'cascade' })
  delivery!: Ref<WebhookDelivery>;

  @ManyToOne(() => Webhook, { ref: true, deleteRule: 'cascade' })
  webhook!: Ref<Webhook>;

  @Property({ type: 'bigint' })
  eventId!: string;

  @Property({ type: 'text' })
  eventType!: string;

  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'boolean' })
  succeeded!: boolean;

  @Property({ type: 'integer', nullable: true })
  statusCode?: number | null;

  /** TIMEOUT, BLOCKED_ADDRESS, DNS, CONNECTION, TLS, REDIRECT…; null when the receiver answered. */
  @Property({ type: 'text', nullable: true })
  errorKind?: string | null;

  @Property({ type: 'integer' })
  latencyMs!: number;

  @Property({ type: 'text', nullable: true })
  responseExcerpt?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  attemptedAt!: Opt<Date>;
}
