import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { ApiKeyKind, type Scope } from '../../api/src/common/access/index.js';
import { ApiKey } from '../../api/src/modules/api-key/api-key.entity.js';
import { Region } from '../../api/src/modules/region/region.entity.js';
import { jsonTextAnswers } from '../../api/src/common/graphql/compile/json-text.js';
import type { Principal } from '../fixtures/baseline.js';
import type { TestApp } from '../setup/app.js';

/** Who sends a request: a baseline user, or an API key by its bearer. */
export type Caller = { name: string } & ({ user: Principal } | { key: string });

export interface Outcome {
  status: number;
  /** The raw body, request ids blanked (they differ between any two requests; nothing else may). */
  body: string;
  /** SQL round trips the request cost. */
  statements: number;
  /** Answered with the compiled statement's JSON text (json-text.ts), not walked by graphql-js. */
  asText: boolean;
}

/**
 * A request sent down both read paths: the resolvers (COMPILED_READS off) are the oracle for the
 * compiled statement's status and bytes. `app` gives the test file's app once it has started.
 */
export function bothPaths(app: () => TestApp) {
  async function request(caller: Caller, query: string, variables: Record<string, unknown>, compiled: boolean): Promise<Outcome> {
    const t = app();
    t.app.config.compiledReads = compiled;
    let response!: { status: number; text: string };
    const answered = jsonTextAnswers.count;
    const statements = await t.countSql(async () => {
      const token = 'user' in caller ? t.tokenFor(caller.user) : caller.key;
      response = await t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
    });
    const body = response.text.replace(/"requestId":"[^"]*"/g, '"requestId":""');
    return { status: response.status, body, statements, asText: jsonTextAnswers.count > answered };
  }

  /** The resolvers' answer, then the compiled one: the same status and bytes. */
  async function compare(
    caller: Caller,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ resolvers: Outcome; compiled: Outcome }> {
    const resolvers = await request(caller, query, variables, false);
    const compiled = await request(caller, query, variables, true);
    const label = `${caller.name} ${JSON.stringify(variables)} ${query.slice(0, 160)}`;
    expect(resolvers.asText, label).toBe(false);
    expect(compiled.status, label).toBe(resolvers.status);
    expect(compiled.body, label).toBe(resolvers.body);
    return { resolvers, compiled };
  }

  return { request, compare };
}

/** A new API key of `kind` (INTEGRATOR by default) with these scopes and territories, as a caller by its bearer. */
export async function keyCaller(
  t: TestApp,
  {
    name,
    scopes,
    territories,
    kind = ApiKeyKind.INTEGRATOR,
  }: { name: string; scopes: Scope[]; territories: readonly Region[]; kind?: ApiKeyKind },
): Promise<{ name: string; key: string; territories: string[] }> {
  const em = t.orm.em.fork();
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const key = em.create(ApiKey, { name, prefix, secretHash: hashSecret(secret), kind, scopes, createdBy: t.baseline.users.admin.id });
  for (const territory of territories) key.territories.add(em.getReference(Region, territory.id));
  await em.flush();
  return { name, key: `acc_${prefix}_${secret}`, territories: territories.map((territory) => territory.id) };
}
