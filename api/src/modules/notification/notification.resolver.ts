import { Arg, Args, Authorized, Ctx, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { ANY_USER } from '../access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import type { Context, SubscriptionContext } from '../../context.js';
import { inboxChanges } from './notification.live.js';
import { MarkNotificationsReadInput, NotificationNode, NotificationsArgs, NotificationsChanged } from './notification.types.js';

export const NotificationConnection = connectionType(NotificationNode, 'Notification');

/** People's inboxes: users only (an API key has no inbox), each their own. */
@Resolver(() => NotificationNode)
export class NotificationResolver {
  @Authorized(ANY_USER)
  @Query(() => NotificationConnection, { description: 'The viewer’s notifications, newest first.' })
  notifications(@Args(() => NotificationsArgs) args: NotificationsArgs, @Ctx() context: Context) {
    return context.services.notifications.list(args);
  }

  @Authorized(ANY_USER)
  @Query(() => Int, { description: 'How many of the viewer’s notifications are unread.' })
  unreadNotificationCount(@Ctx() context: Context) {
    return context.services.notifications.unreadCount();
  }

  @Authorized(ANY_USER)
  @Mutation(() => Int, { description: 'Marks the viewer’s notifications read (the listed ones, or all); returns how many were unread.' })
  markNotificationsRead(@Arg('input', () => MarkNotificationsReadInput) input: MarkNotificationsReadInput, @Ctx() context: Context) {
    return context.services.notifications.markRead(input);
  }

  @Authorized(ANY_USER)
  @Subscription(() => NotificationsChanged, {
    description: 'The viewer’s inbox, live (over WebSocket only): the unread count at once, then each change with the lines written since.',
    subscribe: ({ context }) => inboxChanges(context as SubscriptionContext),
  })
  notificationsChanged(@Root() change: NotificationsChanged): NotificationsChanged {
    return change;
  }
}
