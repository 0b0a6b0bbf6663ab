import { randomBytes } from 'node:crypto';
import { hashSecret } from '../../common/auth/session.js';
import { ApiKeyKind, READ_SCOPES } from '../../common/access/index.js';
import { BadUserInputError, ConflictError } from '../../common/errors/errors.js';
import { SortDirection, type Connection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { Conditions, keysetPage } from '../../common/orm/keyset.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import { AuditAction, recordAudit } from '../audit/index.js';
import type { RequestScope } from '../../context.js';
import { Region } from '../region/region.entity.js';
import { ApiKey } from './api-key.entity.js';
import type { ApiKeysArgs, CreateApiKeyInput } from './api-key.inputs.js';

export interface NewApiKey {
  apiKey: ApiKey;
  /** The whole bearer token, `acc_<prefix>_<secret>`; only its hash is kept. */
  secret: string;
}

const CONSTRAINTS = {
  api_key_prefix_unique: new ConflictError('Key prefix collision; try again'),
};

/** `acc_` + 12 lowercase hex + `_` + 32 random bytes in base64url (43 characters), as session.ts parses it. */
function newKeyMaterial(): { prefix: string; secret: string } {
  return { prefix: randomBytes(6).toString('hex'), secret: randomBytes(32).toString('base64url') };
}

export class ApiKeyService {
  constructor(private readonly scope: RequestScope) {}

  list(args: ApiKeysArgs): Promise<Connection<ApiKey>> {
    const { em } = this.scope;
    const where = new Conditions();
    const active = args.filter?.active;
    if (active === true) where.add('(k.revoked_at is null and (k.expires_at is null or k.expires_at > now()))');
    if (active === false) where.add('(k.revoked_at is not null or k.expires_at <= now())');
    return keysetPage<ApiKey>(em, ApiKey, 'k', where, {
      first: args.first,
      after: args.after,
      sort: { property: 'createdAt', cast: 'timestamptz' },
      direction: SortDirection.DESC,
    });
  }

  create(input: CreateApiKeyInput): Promise<NewApiKey> {
    const { em, viewer } = this.scope;
    return transactional(
      em,
      async (tx) => {
        const name = input.name.trim();
        if (!name) throw new BadUserInputError('name', 'name must not be blank');
        const scopes = [...new Set(input.scopes)];
        if (input.kind === ApiKeyKind.BI) {
          const writes = scopes.filter((scope) => !READ_SCOPES.includes(scope));
          if (writes.length) throw new BadUserInputError('scopes', `BI keys are read-only; remove ${writes.join(', ')}`);
        }
        if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
          throw new BadUserInputError('expiresAt', 'expiresAt must be in the future');
        const territoryIds = [...new Set(input.territoryIds.map((id) => requireId(id, 'territoryIds')))];
        const regions = await tx.find(Region, { id: { $in: territoryIds } });
        if (regions.length !== territoryIds.length)
          throw new BadUserInputError('territoryIds', 'territoryIds names a region that does not exist');
        const { prefix, secret } = newKeyMaterial();
        const apiKey = tx.create(ApiKey, {
          name,
          prefix,
          secretHash: hashSecret(secret),
          kind: input.kind,
          scopes,
          expiresAt: input.expiresAt ?? null,
          createdBy: viewer.id,
        });
        apiKey.territories.set(regions);
        await tx.flush();
        await recordAudit(tx, viewer, {
          action: AuditAction.API_KEY_CREATED,
          entityType: 'ApiKey',
          entityId: apiKey.id,
          regionPaths: regions.map((region) => region.path),
          after: { name, prefix, kind: input.kind, scopes, territoryIds, expiresAt: input.expiresAt?.toISOString() ?? null },
        });
        return { apiKey, secret: `acc_${prefix}_${secret}` };
      },
      CONSTRAINTS,
    );
  }

  /** Revoking twice changes nothing the second time. */
  revoke(id: string, version: number): Promise<ApiKey> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const apiKey = await loadForUpdate(tx, ApiKey, requireId(id, 'id'), version, { lock: true });
      if (apiKey.revokedAt) return apiKey;
      apiKey.revokedAt = new Date();
      await tx.flush();
      await recordAudit(tx, viewer, {
        action: AuditAction.API_KEY_REVOKED,
        entityType: 'ApiKey',
        entityId: apiKey.id,
        regionIds: (
          await tx.execute<{ id: string }[]>('select region_id as id from api_key_territory where api_key_id = ?', [apiKey.id])
        ).map((row) => row.id),
        before: { revokedAt: null },
        after: { revokedAt: apiKey.revokedAt.toISOString(), name: apiKey.name, prefix: apiKey.prefix },
      });
      return apiKey;
    });
  }
}
