import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, IsUUID } from 'class-validator';
import { PageArgs } from '../../common/graphql/connection.js';

/** What a notification tells its recipient; the console words each kind from its parameters. */
export enum NotificationKind {
  /** An account became theirs (a transfer, a reassignment). */
  ACCOUNT_ASSIGNED = 'ACCOUNT_ASSIGNED',
  /** An account they owned went to someone else. */
  ACCOUNT_REMOVED = 'ACCOUNT_REMOVED',
  /** A transfer request waits for their decision. */
  TRANSFER_AWAITING_DECISION = 'TRANSFER_AWAITING_DECISION',
  /** Someone asked for an account they own. */
  TRANSFER_REQUESTED_FROM_YOU = 'TRANSFER_REQUESTED_FROM_YOU',
  /** A transfer they asked for, or that concerned them, was approved, rejected or cancelled. */
  TRANSFER_DECIDED = 'TRANSFER_DECIDED',
  /** A stage change request waits for their decision. */
  STAGE_CHANGE_AWAITING_DECISION = 'STAGE_CHANGE_AWAITING_DECISION',
  /** A stage change they asked for, or on their account, was decided. */
  STAGE_CHANGE_DECIDED = 'STAGE_CHANGE_DECIDED',
  /** One of their accounts stayed in its stage past the expected dwell time. */
  SLA_OVERDUE = 'SLA_OVERDUE',
  /** A published cycle graded one of their accounts differently from the previous one. */
  GRADE_CHANGED = 'GRADE_CHANGED',
  /** Admins: a webhook failed for the whole retry window and was disabled (subjectId: the webhook). */
  WEBHOOK_DISABLED = 'WEBHOOK_DISABLED',
}
registerEnumType(NotificationKind, { name: 'NotificationKind', description: 'What a notification is about.' });

@ObjectType('Notification', {
  simpleResolvers: true,
  description:
    'A line of the viewer’s inbox. Its names are as they were when it was written, so it still says which account it was after the account moved on.',
})
export class NotificationNode {
  @Field(() => ID)
  id!: string;

  @Field(() => NotificationKind)
  kind!: NotificationKind;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the recipient marked it read; null while unread.' })
  readAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The account; it may no longer be the recipient’s to open.' })
  customerId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The transfer request, stage change request, evaluation cycle or alert.' })
  subjectId!: string | null;

  @Field(() => String, { nullable: true, description: 'The account’s legal name.' })
  customerName!: string | null;

  @Field(() => String, { nullable: true, description: 'Who acted: the requester, the decider, or who reassigned.' })
  actorName!: string | null;

  @Field(() => String, { nullable: true, description: 'APPROVED, REJECTED or CANCELLED, for decisions.' })
  status!: string | null;

  @Field(() => String, { nullable: true }) territoryName!: string | null;
  @Field(() => String, { nullable: true }) fromTerritoryName!: string | null;
  @Field(() => String, { nullable: true }) toTerritoryName!: string | null;
  @Field(() => String, { nullable: true }) toOwnerName!: string | null;
  @Field(() => String, { nullable: true, description: 'A lifecycle stage, for SLA alerts.' }) stage!: string | null;
  @Field(() => String, { nullable: true }) fromStage!: string | null;
  @Field(() => String, { nullable: true }) toStage!: string | null;
  @Field(() => String, { nullable: true }) grade!: string | null;
  @Field(() => String, { nullable: true }) previousGrade!: string | null;
  @Field(() => String, { nullable: true }) cycleName!: string | null;
  @Field(() => String, { nullable: true, description: 'The target of a disabled webhook.' }) webhookUrl!: string | null;
  @Field(() => String, { nullable: true, description: 'The API key a disabled webhook belongs to.' }) apiKeyName!: string | null;
  @Field(() => Date, { nullable: true, description: 'When the SLA ran out, for SLA alerts.' }) dueAt!: Date | null;
}

@ArgsType()
export class NotificationsArgs extends PageArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'Only those not yet marked read.' })
  unreadOnly: boolean = false;
}

@InputType()
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: 'These notifications; omit with `all` to mark every one.' })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids?: string[];

  @Field(() => Boolean, { defaultValue: false, description: 'Every notification of the viewer.' })
  all: boolean = false;
}

@ObjectType({ description: 'What changed in the viewer’s inbox: the unread count now, and the lines written since the last event.' })
export class NotificationsChanged {
  @Field(() => Int, { description: 'How many of the viewer’s notifications are unread now.' })
  unreadCount!: number;

  @Field(() => [NotificationNode], {
    description: 'Lines the subscription had not delivered yet, newest first; empty on the first event, which only gives the count.',
  })
  added!: NotificationNode[];
}
