/**
 * The one request the page's entry (boot.ts) sends before the console's code has loaded: the
 * first page's rows, so the API answers while the chunks download instead of after. The
 * console's first request for the same operation, variables and token takes that response
 * instead of asking again. No GraphQL library: the entry sends a document's text as it is.
 */
interface EarlyRequest {
  key: string;
  response: Promise<Response>;
  at: number;
}

/** An early answer not taken by then was for a page the user did not stay on. */
const TTL_MS = 10_000;
let pending: EarlyRequest | null = null;

const keyOf = (operationName: string, variables: unknown, token: string | null) => JSON.stringify([operationName, variables, token]);

/** What every GraphQL request of the console sends: the spec's Accept keeps refusals' 4xx statuses. */
export function graphqlHeaders(token: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json;q=0.9',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

/**
 * Sends the request; returns a copy of its response for the entry itself to read (the customer
 * list's pre-paint), taken before anyone reads the original.
 */
export function sendEarly(
  operationName: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
  { url = '/graphql', fetch: fetchImpl = globalThis.fetch }: { url?: string; fetch?: typeof fetch } = {},
): Promise<Response> {
  const response = fetchImpl(url, {
    method: 'POST',
    headers: graphqlHeaders(token),
    body: JSON.stringify({ operationName, query, variables }),
  });
  // A failure (offline) reaches whoever takes it; untaken, it is dropped.
  response.catch(() => undefined);
  pending = { key: keyOf(operationName, variables, token), response, at: Date.now() };
  const copy = response.then((answer) => answer.clone());
  copy.catch(() => undefined);
  return copy;
}

/** The early response for this request, once; null when there is none or it is for another. */
export function takeEarly(
  operationName: string | undefined,
  variables: Record<string, unknown>,
  token: string | null,
): Promise<Response> | null {
  const early = pending;
  if (!early || !operationName || Date.now() - early.at > TTL_MS || early.key !== keyOf(operationName, variables, token)) return null;
  pending = null;
  return early.response;
}
