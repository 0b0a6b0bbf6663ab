import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { User } from '../user/user.entity.js';

/**
 * One line of a person's inbox. Rows are written only by the database, in the transaction that
 * makes the news (triggers on the change feed's outbox and on lifecycle alerts, migration
 * Migration20261202093000), so a rolled-back change notifies nobody and a committed one always
 * notifies. Row-level security shows each user only their own rows; requests may only mark them read.
 *
 * `params` holds what the message names (the account, the person, the stages or grades) as it
 * was when the notification was written: the recipient may no longer be able to open the account
 * (it was transferred away from them), and the message must still say which one it was.
 */
@Entity({ tableName: 'notification' })
@Index({ properties: ['user', 'createdAt', 'id'] })
export class Notification {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: Opt<string>;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  /** A NotificationKind. */
  @Property({ type: 'text' })
  kind!: string;

  /** The account the news is about; not a foreign key, so the line outlives the account. */
  @Property({ type: 'uuid', nullable: true })
  customerId?: string | null;

  /** The transfer request, stage change request, evaluation cycle or alert that caused it. */
  @Property({ type: 'uuid', nullable: true })
  subjectId?: string | null;

  @Property({ type: 'jsonb', default: '{}' })
  params!: Opt<Record<string, string | null>>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Opt<Date>;

  @Property({ type: 'timestamptz', nullable: true })
  readAt?: Date | null;
}
