import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import { type Context } from '../../context.js';
import { AuditEvent } from './audit.entity.js';
import { AuditEventsArgs } from './audit.inputs.js';
import { type AuditRow } from './audit.service.js';

export const AuditEventConnection = connectionType(AuditEvent, 'AuditEvent');

@Authorized(MANAGERS)
@Resolver(() => AuditEvent)
export class AuditResolver {
  @Authorized(MANAGERS)
  @Query(() => AuditEventConnection, { description: 'Newest first. Admins see every event; managers the events concerning their regions.' })
  auditEvents(@Args(() => AuditEventsArgs) args: AuditEventsArgs, @Ctx() context: Context) {
    return context.services.audit.list(args);
  }

  @FieldResolver(() => [String], { description: 'Territory paths the event concerns.' })
  regionPaths(@Root() event: AuditRow): string[] {
    return event.regionPaths;
  }
}
