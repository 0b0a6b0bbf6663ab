import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageArgs } from '../../common/graphql/connection.js';

/** A subscription as its owner and admins see it: never its secret. */
@ObjectType('Webhook', {
  simpleResolvers: true,
  description: 'A push subscription of an API key to the change feed: it receives what `changes` would show the key.',
})
export class WebhookNode {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'The API key it belongs to and reads the feed as.' })
  apiKeyId!: string;

  @Field(() => String)
  apiKeyName!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [String], { description: 'Event types delivered, e.g. customer.updated.' })
  eventTypes!: string[];

  @Field(() => [String], { description: 'When not empty, `*.updated` events are delivered only if one of these fields changed.' })
  fieldFilter!: string[];

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: 'FAILING (the retry window ran out), CURSOR_EXPIRED, or MANUAL.' })
  disabledReason!: string | null;

  @Field(() => Date, { nullable: true })
  disabledAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'The first failure since the last success; null while healthy.' })
  failingSince!: Date | null;

  @Field(() => Date, { nullable: true })
  lastSuccessAt!: Date | null;

  @Field(() => Date, { nullable: true })
  secretRotatedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Until then the previous secret signs beside the new one (a second v1= entry).' })
  previousSecretExpiresAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Int, { description: 'Pass it back on update; a stale version fails with CONFLICT.' })
  version!: number;
}

@ObjectType('CreatedWebhook', { simpleResolvers: true })
export class CreatedWebhook {
  @Field(() => WebhookNode)
  webhook!: WebhookNode;

  @Field(() => String, { description: 'The signing secret. Shown once: store it now.' })
  secret!: string;
}

@ObjectType('WebhookDeliveryAttempt', { simpleResolvers: true, description: 'One attempt to deliver one event: the delivery log.' })
export class WebhookAttemptNode {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'The change event (the Webhook-Id header).' })
  eventId!: string;

  @Field(() => String)
  eventType!: string;

  @Field(() => Int, { description: '1 for the first attempt of a delivery.' })
  attempt!: number;

  @Field(() => Boolean, { description: 'The receiver answered 2xx.' })
  succeeded!: boolean;

  @Field(() => Int, { nullable: true })
  statusCode!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'TIMEOUT, BLOCKED_ADDRESS, DNS, CONNECTION_REFUSED, CONNECTION_RESET, TLS, NETWORK, INVALID_URL; null when the receiver answered.',
  })
  errorKind!: string | null;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => String, { nullable: true, description: 'The first 500 characters of the response body (never headers).' })
  responseExcerpt!: string | null;

  @Field(() => Date)
  attemptedAt!: Date;
}

@InputType()
export class CreateWebhookInput {
  @Field(() => ID, { nullable: true, description: 'Admins: the API key it belongs to. An API key omits it (its own).' })
  @IsOptional()
  @IsString()
  apiKeyId?: string;

  @Field(() => String, { description: 'A public http(s) URL.' })
  @Length(1, 2048, { message: 'url must be 1–2048 characters' })
  url!: string;

  @Field(() => [String], { description: 'Event types to deliver, e.g. ["customer.updated", "order.created"].' })
  @ArrayMinSize(1, { message: 'eventTypes must name at least one event type' })
  @ArrayMaxSize(50)
  @IsString({ each: true })
  eventTypes!: string[];

  @Field(() => [String], { nullable: true, description: 'Deliver `*.updated` events only when one of these fields changed.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  fieldFilter?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string;
}

@InputType()
export class UpdateWebhookInput {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 2048, { message: 'url must be 1–2048 characters' })
  url?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1, { message: 'eventTypes must name at least one event type' })
  @ArrayMaxSize(50)
  @IsString({ each: true })
  eventTypes?: string[];

  @Field(() => [String], { nullable: true, description: 'An empty list delivers every change of the chosen types.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  fieldFilter?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string;

  @Field(() => Boolean, { nullable: true, description: 'Re-enabling resumes where delivery stopped, retrying at once.' })
  @IsOptional()
  enabled?: boolean;
}

@ArgsType()
export class WebhooksArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Admins: only this key’s webhooks.' })
  @IsOptional()
  @IsString()
  apiKeyId?: string;
}

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {
  @Field(() => ID)
  @IsString()
  webhookId!: string;

  @Field(() => Boolean, { nullable: true, description: 'Only the attempts that succeeded (true) or failed (false).' })
  @IsOptional()
  @IsBoolean()
  succeeded?: boolean;

  @Field(() => ID, { nullable: true, description: 'Only the attempts of this change event, e.g. to follow its retries.' })
  @IsOptional()
  @IsString()
  eventId?: string;
}
