import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from '../../common/graphql/json.scalar.js';

/** Append-only record of every change that matters: ownership, decisions, roles, keys, denials. */
@ObjectType({ simpleResolvers: true, description: 'An audited event.' })
@Entity({ tableName: 'audit_event' })
@Index({ properties: ['at', 'id'] })
@Index({ properties: ['entityType', 'entityId'] })
export class AuditEvent {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Opt<Date> = new Date();

  @Field(() => String, { description: 'USER, API_KEY, or ANONYMOUS for system processes.' })
  @Property({ type: 'text' })
  actorKind!: string;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  @Index()
  actorId?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  actorName?: string | null;

  @Field(() => String, { description: 'e.g. CUSTOMER_TRANSFERRED, TRANSFER_REJECTED, API_KEY_CREATED, MUTATION_DENIED.' })
  @Property({ type: 'text' })
  @Index()
  action!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  entityType?: string | null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  entityId?: string | null;

  /** Territory paths the event concerns, so managers see the events of their regions. */
  @Property({ type: 'text[]', default: '{}' })
  regionPaths: Opt<string[]> = [];

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: 'jsonb', nullable: true })
  before?: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: 'jsonb', nullable: true })
  after?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;
}
