import { expect } from 'vitest';
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
