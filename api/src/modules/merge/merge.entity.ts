import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { MergeChildKind } from './merge.types.js';

/**
 * One merge of accounts into a survivor: who, when, the survivor's row before it (to undo), and
 * its version after (an undo finds it unchanged or refuses). Written by merge.service.ts only.
 */
@Entity({ tableName: 'customer_merge' })
@Index({ properties: ['mergedAt', 'id'] })
export class MergeRecord {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => Customer, { ref: true, index: true, deleteRule: 'cascade' })
  survivor!: Ref<Customer>;

  @Property({ type: 'text' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  mergedAt: Opt<Date> = new Date();

  @Property({ type: 'timestamptz' })
  undoableUntil!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  undoneAt?: Date | null;

  /** The survivor as it was (to_jsonb of its row). */
  @Property({ type: 'jsonb' })
  survivorBefore!: Record<string, unknown>;

  @Property({ type: 'integer' })
  survivorVersion!: number;

  /** The fields taken from merged records: [{ field, fromId, value }]. */
  @Property({ type: 'jsonb' })
  fields!: unknown[];
}

/** A record merged into the survivor: its row before, and its version after (archived, merged_into set). */
@Entity({ tableName: 'customer_merge_member' })
export class MergeMember {
  @ManyToOne(() => MergeRecord, { ref: true, primary: true, deleteRule: 'cascade' })
  merge!: Ref<MergeRecord>;

  @ManyToOne(() => Customer, { ref: true, primary: true, index: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @Property({ type: 'jsonb' })
  before!: Record<string, unknown>;

  @Property({ type: 'integer' })
  versionAfter!: number;
}

/**
 * A child a merge moved to the survivor (or, for an evaluation, linked to it: the lineage through
 * which the survivor's history includes snapshots that were never edited), with the record it came
 * from and its version after the move, so an undo moves back exactly these, unchanged since.
 */
@Entity({ tableName: 'customer_merge_child' })
@Index({ properties: ['childId'] })
export class MergeChild {
  @ManyToOne(() => MergeRecord, { ref: true, primary: true, deleteRule: 'cascade' })
  merge!: Ref<MergeRecord>;

  @Enum({ items: () => MergeChildKind, nativeEnumName: 'merge_child_kind', primary: true })
  kind!: MergeChildKind;

  @PrimaryKey({ type: 'uuid' })
  childId!: string;

  @Property({ type: 'uuid' })
  fromCustomerId!: string;

  @Property({ type: 'integer', nullable: true })
  versionAfter?: number | null;
}
