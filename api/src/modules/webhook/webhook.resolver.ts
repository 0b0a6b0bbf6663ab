import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role, Scope } from '../../common/access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import { viewerOf, type Context } from '../../context.js';
import { scope } from '../access/index.js';
import { WebhookService } from './webhook.service.js';
import { SecretBox } from './webhook.signing.js';
import {
  CreatedWebhook,
  CreateWebhookInput,
  UpdateWebhookInput,
  WebhookAttemptNode,
  WebhookDeliveriesArgs,
  WebhookNode,
  WebhooksArgs,
} from './webhook.types.js';

export const WebhookConnection = connectionType(WebhookNode, 'Webhook');
export const WebhookAttemptConnection = connectionType(WebhookAttemptNode, 'WebhookDeliveryAttempt');

/** The key itself (webhooks:manage) for its own webhooks; admins, in the console, for any key's. */
const WEBHOOK_MANAGERS = [Role.ADMIN, scope(Scope.WEBHOOKS_MANAGE)];

const boxes = new Map<string, SecretBox>();
function serviceOf(context: Context): WebhookService {
  const { authSecret } = context.config;
  let box = boxes.get(authSecret);
  if (!box) boxes.set(authSecret, (box = new SecretBox(authSecret)));
  return new WebhookService(context.em, viewerOf(context), context.config.webhooks, box);
}

@Resolver(() => WebhookNode)
export class WebhookResolver {
  @Authorized(WEBHOOK_MANAGERS)
  @Query(() => WebhookConnection, { description: 'An API key: its own webhooks. Admins: every key’s (or one key’s), newest first.' })
  webhooks(@Args(() => WebhooksArgs) args: WebhooksArgs, @Ctx() context: Context) {
    return serviceOf(context).list(args);
  }

  @Authorized(WEBHOOK_MANAGERS)
  @Query(() => WebhookNode, { nullable: true, description: 'One webhook; null when it does not exist or is another key’s.' })
  webhook(@Arg('id', () => ID) id: string, @Ctx() context: Context) {
    return serviceOf(context).one(id);
  }

  @Authorized(WEBHOOK_MANAGERS)
  @Query(() => WebhookAttemptConnection, {
    description: 'The delivery log of a webhook, newest attempt first; optionally only failures (or successes), or one event’s attempts.',
  })
  webhookDeliveries(@Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs, @Ctx() context: Context) {
    return serviceOf(context).attempts(args);
  }

  @Authorized(WEBHOOK_MANAGERS)
  @Mutation(() => CreatedWebhook, {
    description:
      'Subscribes to the change feed from now on. The signing secret is returned once. The URL must be public (BAD_USER_INPUT on url).',
  })
  createWebhook(@Arg('input', () => CreateWebhookInput) input: CreateWebhookInput, @Ctx() context: Context) {
    return serviceOf(context).create(input);
  }

  @Authorized(WEBHOOK_MANAGERS)
  @Mutation(() => WebhookNode)
  updateWebhook(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookInput) input: UpdateWebhookInput,
    @Ctx() context: Context,
  ) {
    return serviceOf(context).update(id, input);
  }

  @Authorized(WEBHOOK_MANAGERS)
  @Mutation(() => Boolean, { description: 'Stops delivery at once; the queue and log go with it.' })
  deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() context: Context) {
    return serviceOf(context).delete(id);
  }

  @Authorized(WEBHOOK_MANAGERS)
  @Mutation(() => CreatedWebhook, {
    description:
      'A new signing secret, returned once. The previous one keeps signing beside it (a second v1= entry) for the overlap window.',
  })
  rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() context: Context) {
    return serviceOf(context).rotateSecret(id);
  }

  @Authorized(WEBHOOK_MANAGERS)
  @Mutation(() => Boolean, { description: 'Queues an event delivered (or attempted) before to be sent again, with the same Webhook-Id.' })
  redeliverWebhookEvent(@Arg('webhookId', () => ID) webhookId: string, @Arg('eventId', () => ID) eventId: string, @Ctx() context: Context) {
    return serviceOf(context).redeliver(webhookId, eventId);
  }
}
