import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Field, Info, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { DUMMY_HASH, verifyPassword } from '../../common/auth/password.js';
import { ANY_USER } from './operation.policy.js';
import { issueToken } from '../../common/auth/token.js';
import { UnauthenticatedError } from '../../common/errors/errors.js';
import { viewerOf, type Context } from '../../context.js';
import { User } from '../user/user.entity.js';
import { compiledMe } from '../user/index.js';
import { normalizeEmail } from '../../common/email.js';

@ObjectType({ simpleResolvers: true })
export class AuthPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <token>`.' })
  token!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => User)
  user!: User;
}

@Resolver()
export class AuthResolver {
  // Public by design: signing in is how a client gets a token.
  @Mutation(() => AuthPayload)
  async login(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() { em, config }: Context,
  ): Promise<AuthPayload> {
    const user = await em.findOne(User, { email: normalizeEmail(email) }, { populate: ['passwordHash'] });
    // Verify against a dummy hash for unknown accounts so timing does not reveal which emails exist.
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid || !user.active) throw new UnauthenticatedError('Wrong email or password');
    return { ...issueToken(user, config.authSecret, config.tokenTtlSeconds), user };
  }

  @Authorized(ANY_USER)
  @Mutation(() => Boolean, {
    description:
      "Ends all of the signed-in user's sessions, this one included: every token issued so far stops working. Sign in again for a new one.",
  })
  async signOutEverywhere(@Ctx() context: Context): Promise<boolean> {
    await context.services.users.endSessions(viewerOf(context).id);
    return true;
  }

  @Authorized(ANY_USER)
  @Query(() => User, { description: 'The signed-in user.' })
  async me(@Ctx() context: Context, @Info() info: GraphQLResolveInfo) {
    const compiled = context.config.compiledReads ? await compiledMe(context, info) : null;
    if (compiled) return compiled;
    return context.loaders.byId(User).load(viewerOf(context).id);
  }
}
