import type { AdminLoginMutation } from '../../../schema/generated/graphql';
import SIGN_IN_DOCUMENT from '../../../schema/documents/admin/sign-in.graphql?raw';
import { serverErrorKey } from '../i18n/serverErrors';
import { graphqlHeaders } from './earlyRequest';
import type { Session } from './session';

/** A refused sign-in; `message` is a catalogue key (`app.serverErrors.<code>.<field>`), never the API's sentence. */
export class SignInError extends Error {
  constructor(
    readonly code: string,
    readonly field: string | null,
  ) {
    super(serverErrorKey(code, field));
    this.name = 'SignInError';
  }
}

interface LoginResponse {
  data?: AdminLoginMutation | null;
  errors?: { extensions?: { code?: unknown; field?: unknown } }[];
}

/**
 * The `login` mutation, sent as the text of schema/documents/admin/sign-in.graphql: the sign-in
 * form uses it before any of the console has loaded, and the console's authProvider uses it too,
 * so there is one way in. No GraphQL library: the document is plain text, the answer plain JSON.
 */
export async function requestSignIn(
  email: string,
  password: string,
  { url = '/graphql', fetch: fetchImpl = globalThis.fetch }: { url?: string; fetch?: typeof fetch } = {},
): Promise<Session> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: graphqlHeaders(null),
      body: JSON.stringify({ operationName: 'AdminLogin', query: SIGN_IN_DOCUMENT, variables: { email: email.trim(), password } }),
    });
  } catch {
    throw new SignInError('NETWORK_ERROR', null);
  }
  let payload: LoginResponse | null = null;
  try {
    payload = (await response.json()) as LoginResponse;
  } catch {
    payload = null;
  }
  const login = payload?.data?.login;
  if (!login) {
    const extensions = payload?.errors?.[0]?.extensions;
    const code = typeof extensions?.code === 'string' ? extensions.code : response.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'default';
    throw new SignInError(code, typeof extensions?.field === 'string' ? extensions.field : null);
  }
  return { token: login.token, expiresAt: login.expiresAt, viewer: login.user };
}
