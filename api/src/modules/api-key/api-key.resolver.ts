import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ADMINS } from '../access/index.js';
import { connectionType } from '../../common/graphql/connection.js';
import { isUuid } from '../../common/graphql/ids.js';
import { idOf, type RelationValue } from '../../common/orm/ref.js';
import { type Context } from '../../context.js';
import { Region } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysArgs, CreateApiKeyInput } from './api-key.inputs.js';

export const ApiKeyConnection = connectionType(ApiKey, 'ApiKey');

@ObjectType({ simpleResolvers: true })
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field(() => String, { description: 'The bearer token `acc_<prefix>_<secret>`. Shown once: only its hash is stored.' })
  secret!: string;
}

type KeyRow = Pick<ApiKey, 'id' | 'revokedAt' | 'expiresAt' | 'createdBy'>;

@Authorized(ADMINS)
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized(ADMINS)
  @Query(() => ApiKeyConnection, { description: 'Newest first.' })
  apiKeys(@Args(() => ApiKeysArgs) args: ApiKeysArgs, @Ctx() { services }: Context) {
    return services.apiKeys.list(args);
  }

  @Authorized(ADMINS)
  @Query(() => ApiKey, { nullable: true })
  apiKey(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return isUuid(id) ? loaders.byId(ApiKey).load(id) : null;
  }

  @Authorized(ADMINS)
  @Mutation(() => CreatedApiKey, { description: 'The secret is returned once; store it now.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() context: Context) {
    return context.services.apiKeys.create(input);
  }

  @Authorized(ADMINS)
  @Mutation(() => ApiKey, { description: 'The key stops authenticating at once.' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @Ctx() context: Context) {
    return context.services.apiKeys.revoke(id, version);
  }

  @FieldResolver(() => Boolean, { description: 'Neither revoked nor expired.' })
  active(@Root() key: KeyRow): boolean {
    return !key.revokedAt && (!key.expiresAt || new Date(key.expiresAt).getTime() > Date.now());
  }

  @FieldResolver(() => [Region], { description: 'The regions the key reaches, each with everything below it.' })
  territories(@Root() key: KeyRow, @Ctx() { loaders }: Context) {
    return loaders.throughPivot(Region, 'api_key_territory', 'api_key_id', 'region_id', 't.path').load(key.id);
  }

  @FieldResolver(() => User)
  createdBy(@Root() key: KeyRow, @Ctx() { loaders }: Context) {
    return loaders.byId(User).load(idOf(key.createdBy as RelationValue)!);
  }
}
