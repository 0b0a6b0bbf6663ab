import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique, type Opt, type Ref } from '@mikro-orm/core';
import { ApiKey } from './api-key.entity.js';

/**
 * One `Idempotency-Key` of one API key and the response its request produced. Written only by
 * raw SQL in idempotency.ts, inside the request's transaction; the unique constraint is what
 * makes a concurrent duplicate wait for the first request's outcome.
 */
@Entity({ tableName: 'idempotency_key' })
@Unique({ name: 'idempotency_key_api_key_id_key_unique', properties: ['apiKey', 'key'] })
@Index({ name: 'idempotency_key_created_at_index', properties: ['createdAt'] })
export class IdempotencyKey {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne(() => ApiKey, { ref: true, deleteRule: 'cascade' })
  apiKey!: Ref<ApiKey>;

  @Property({ type: 'text' })
  key!: string;

  /** SHA-256 of the normalised operation, its name and its variables. */
  @Property({ type: 'text' })
  fingerprint!: string;

  /** HTTP status and body of the first response; null until it is stored, before commit. */
  @Property({ type: 'smallint', nullable: true })
  status?: number | null;

  @Property({ type: 'text', nullable: true })
  response?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
