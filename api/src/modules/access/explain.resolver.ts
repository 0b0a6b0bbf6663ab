import { Arg, Authorized, Ctx, Field, ID, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { usersAndScope } from './operation.policy.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/errors.js';
import { requireId } from '../../common/graphql/ids.js';
import { viewerOf, type Context } from '../../context.js';
import type { CustomerGroup } from './access.masks.js';
import { AccessLevel } from './access.rules.js';
import { Scope, Role } from '../../common/access/index.js';
import { AccessRule, explainCustomerAccess, type ExplainedAccount } from './explain.service.js';
import { subjectForUser } from './subject-viewer.js';

registerEnumType(AccessRule, { name: 'AccessRule', description: 'The rule that grants or denies access to an account.' });

export enum CustomerFieldGroup {
  DIRECTORY = 'directory',
  PROFILE = 'profile',
  CONTACTS = 'contacts',
  INTERACTIONS = 'interactions',
  ORDERS = 'orders',
  EVALUATIONS = 'evaluations',
  OWNERSHIP = 'ownership',
}
registerEnumType(CustomerFieldGroup, { name: 'CustomerFieldGroup', description: 'Customer fields grouped by what they disclose.' });

@ObjectType({ simpleResolvers: true })
export class FieldGroupAccess {
  @Field(() => CustomerFieldGroup) group!: CustomerGroup;
  @Field(() => [String], { description: 'The Customer fields in this group.' }) fields!: string[];
  @Field(() => Boolean) allowed!: boolean;
  @Field(() => AccessLevel) level!: AccessLevel;
  @Field(() => AccessRule) rule!: AccessRule;
  @Field(() => String) reason!: string;
  @Field(() => Scope, { nullable: true, description: 'For API keys: the scope this group needs.' }) scope!: Scope | null;
}

@ObjectType({ simpleResolvers: true, description: 'Why a principal may or may not see each part of an account.' })
export class AccessExplanation {
  @Field(() => ID) customerId!: string;
  @Field(() => ID, { description: 'The user (or API key) explained.' }) subjectId!: string;
  @Field(() => AccessLevel) level!: AccessLevel;
  @Field(() => AccessRule) rule!: AccessRule;
  @Field(() => String) reason!: string;
  @Field(() => [FieldGroupAccess]) groups!: FieldGroupAccess[];
}

@Resolver(() => AccessExplanation)
export class ExplainAccessResolver {
  @Authorized(usersAndScope(Scope.CUSTOMERS_READ))
  @Query(() => AccessExplanation, {
    description: 'Which rule grants or denies each field group of an account, for the viewer — or, for admins, for any user (userId).',
  })
  async explainAccess(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('userId', () => ID, { nullable: true }) userId: string | null | undefined,
    @Ctx() context: Context,
  ): Promise<AccessExplanation> {
    const viewer = viewerOf(context);
    const id = requireId(customerId, 'customerId');
    let subject = viewer;
    let active = true;
    if (userId && !(viewer.kind === 'USER' && requireId(userId, 'userId') === viewer.id)) {
      if (viewer.role !== Role.ADMIN) throw new ForbiddenError('Only admins may ask about another user', { field: 'userId' });
      const found = await subjectForUser(context.em, requireId(userId, 'userId'));
      if (!found) throw new NotFoundError('User', userId);
      subject = found.viewer;
      active = found.active;
    }
    // The directory card: every user may read it; a key only within its territories (row-level security).
    const [account] = await context.em.execute<ExplainedAccount[]>(
      `select d.customer_id as id, d.owner_id as owner, u.name as "ownerName", d.territory_id as territory, r.path as "territoryPath"
       from customer_directory d join app_user u on u.id = d.owner_id join region r on r.id = d.territory_id where d.customer_id = ?`,
      [id],
    );
    if (!account) throw new NotFoundError('Customer', customerId);
    const explanation = explainCustomerAccess(subject, active, account, context.territoryAccess);
    if (subject === viewer && explanation.level === AccessLevel.NONE) throw new NotFoundError('Customer', customerId);
    return {
      customerId: account.id,
      subjectId: subject.id,
      ...explanation,
      groups: explanation.groups.map((group) => ({ ...group, fields: [...group.fields] })),
    };
  }
}
