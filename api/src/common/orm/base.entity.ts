import { randomUUID } from 'node:crypto';
import { PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';

/**
 * Every mutable record: a client-generated UUID (so an entity has its id before flush),
 * timestamps with time zone, and a version that MikroORM checks on every UPDATE, so a
 * concurrent edit fails with CONFLICT instead of overwriting.
 */
@ObjectType()
export abstract class BaseEntity {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();

  @Field(() => Int, {
    nullable: true,
    description: 'Pass it back on update; a stale version fails with CONFLICT. Null where hidden from the viewer.',
  })
  @Property({ type: 'integer', version: true })
  version!: Opt<number>;
}
