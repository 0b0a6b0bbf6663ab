import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

/**
 * The outbox: one row per committed change, written by triggers in the statement that makes the
 * change (migration Migration20261202041610), so a rolled-back request leaves none and a
 * committed one always has its row, whoever wrote it (a request, a job, a bulk load).
 *
 * `xid` is the writing transaction's id. A reader sees only rows below the oldest transaction
 * still running (`pg_snapshot_xmin`), ordered by (xid, id): a transaction that commits late has
 * an xid at or above that horizon, so its rows appear after the horizon passes it and a cursor
 * never steps over them.
 */
@Entity({ tableName: 'change_event' })
@Index({ properties: ['xid', 'id'] })
export class ChangeEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  xid!: Opt<string>;

  /** `customer.updated`, `customer.owner_changed`, `interaction.created`, … */
  @Property({ type: 'text' })
  type!: string;

  /** customer, contact, interaction, order, transfer, stage_change, evaluation_cycle. */
  @Property({ type: 'text' })
  entity!: string;

  @Property({ type: 'uuid' })
  entityId!: string;

  /** The account the change belongs to (null for company-wide changes such as a published cycle). */
  @Property({ type: 'uuid', nullable: true })
  customerId?: string | null;

  /** The account a child came from when the change moved it to another (a merge, an undo): shown instead to readers of that one only. */
  @Property({ type: 'uuid', nullable: true })
  oldCustomerId?: string | null;

  /** Columns whose value changed (all of them for a creation), as the table names them. */
  @Property({ type: 'text[]', default: '{}' })
  columns!: Opt<string[]>;

  /** The account's owner and territory after and before the change: who could see it then. */
  @Property({ type: 'uuid', nullable: true })
  ownerId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  territoryId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  oldOwnerId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  oldTerritoryId?: string | null;

  /** USER, API_KEY or SYSTEM. */
  @Property({ type: 'text' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  /** console (a signed-in user), api_key, import or system. */
  @Property({ type: 'text' })
  origin!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  @Index()
  occurredAt!: Opt<Date>;
}

/** How far retention has pruned the outbox: a cursor at or before this position may have missed events. */
@Entity({ tableName: 'change_feed_horizon' })
export class ChangeFeedHorizon {
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id!: number;

  @Property({ type: 'string', columnType: 'xid8', defaultRaw: `'0'` })
  prunedXid!: Opt<string>;

  @Property({ type: 'bigint', default: 0 })
  prunedId!: Opt<string>;
}
