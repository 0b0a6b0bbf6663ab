import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../fixtures/baseline.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * docs/permissions.md, "Sign-in limiter": at most LOGIN_MAX_FAILURES_PER_ACCOUNT attempts per
 * submitted email in the window, whatever form the request takes. The email below is submitted
 * as the default value of an operation variable instead of in `variables`.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' });
});

afterAll(async () => {
  await t?.close();
});

/** The email travels as the variable's default value: `variables` carries only the password. */
function loginByDefault(email: string, password: string) {
  return t
    .http()
    .post('/graphql')
    .send({
      query: `mutation ($email: String = ${JSON.stringify(email)}, $password: String!) { login(email: $email, password: $password) { token } }`,
      variables: { password },
    });
}

describe('attack: sign-in limiter', () => {
  it('counts an email sent as a variable default against that account (bypass: the limit is never reached)', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const guess = await loginByDefault('rep.hz@test.local', `wrong-${i}`);
      outcomes.push(`${guess.status} ${guess.body.errors?.[0]?.extensions?.code}`);
      // The attacker's own account, signed in the same way, empties the shared bucket.
      if (i % 2 === 1) expect((await loginByDefault('rep.nb@test.local', PASSWORD)).body.data?.login?.token).toBeTruthy();
    }
    // Documented: 3 attempts are evaluated, every later one is 429 RATE_LIMITED.
    expect(outcomes.filter((outcome) => outcome === '200 UNAUTHENTICATED')).toHaveLength(3);
    expect(outcomes.slice(3).every((outcome) => outcome === '429 RATE_LIMITED')).toBe(true);
  });

  it('counts every spelling that signs into one account, in every form, against that account', async () => {
    // Sign-in looks the account up case- and surrounding-space-insensitively (normalizeEmail).
    const spellings = ['rep.gz@test.local', ' REP.GZ@test.local', 'Rep.Gz@Test.Local ', 'rep.gz@TEST.local'];
    const attempts = [
      () => loginByDefault(spellings[0]!, 'wrong-0'),
      () =>
        t
          .http()
          .post('/graphql')
          .send({ query: `mutation { login(email: ${JSON.stringify(spellings[1])}, password: "wrong-1") { token } }` }),
      () =>
        t
          .http()
          .post('/graphql')
          .send({ query: 'mutation ($e: String!) { login(email: $e, password: "wrong-2") { token } }', variables: { e: spellings[2] } }),
      () => loginByDefault(spellings[3]!, PASSWORD),
    ];
    const outcomes: string[] = [];
    for (const attempt of attempts) {
      const response = await attempt();
      outcomes.push(`${response.status} ${response.body.errors?.[0]?.extensions?.code}`);
    }
    // Three wrong guesses fill the account's window: even the right password is refused now.
    expect(outcomes).toEqual(['200 UNAUTHENTICATED', '200 UNAUTHENTICATED', '200 UNAUTHENTICATED', '429 RATE_LIMITED']);
  });
});
