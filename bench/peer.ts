import { firstDifference, PEER_CUSTOMER_360, PEER_CUSTOMER_360_PAGE, PEER_CUSTOMER_LIST, peerCustomerAsOurs } from './peer-documents.js';

/**
 * What bench/run.ts needs of the peer (PostGraphile, bench/peer-postgraphile.ts): whether it is
 * installed, when it is up, the bodies it is sent for each scenario, and the check that it answers
 * the same data as the API before either is timed.
 */

/** PostGraphile is a devDependency: absent from a production install, where the bench skips the peer. */
export function peerInstalled(): boolean {
  try {
    import.meta.resolve('postgraphile');
    return true;
  } catch {
    return false;
  }
}

/** Its endpoint answers POST only: wait for `{ __typename }` to answer 2xx. */
export async function waitForGraphql(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up`);
}

/** Request bodies for the peer, by scenario (the same variables as ours). */
export const peerBodies = {
  customer360: (ids: readonly string[]) => (i: number) =>
    JSON.stringify({ query: PEER_CUSTOMER_360, variables: { id: ids[i % ids.length] } }),
  customer360Page: () => JSON.stringify({ query: PEER_CUSTOMER_360_PAGE, variables: { first: 25 } }),
  customerList: () => JSON.stringify({ query: PEER_CUSTOMER_LIST, variables: { first: 25 } }),
};

type Answer = { data?: Record<string, unknown> | null; errors?: unknown[] };

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const answer = (await response.json()) as Answer;
  if (!response.ok || answer.errors?.length)
    throw new Error(`${url} answered ${response.status}: ${JSON.stringify(answer.errors ?? answer)}`);
  return answer;
}

/**
 * Both sides hold the same data: the customer-360 of each of `ids`, field by field after mapping
 * the peer's names onto ours (bench/peer-documents.ts), and a page of 25 of the same shape from
 * each page document. Throws, naming the first difference, when they do not.
 */
export async function checkPeerAnswers(options: {
  api: string;
  adminToken: string;
  peer: string;
  ids: readonly string[];
  ourBodies: {
    customer360: (i: number) => string | undefined;
    customer360Page: () => string | undefined;
    customerList: () => string | undefined;
  };
}): Promise<void> {
  const auth = { authorization: `Bearer ${options.adminToken}` };
  const peer360 = peerBodies.customer360(options.ids);
  for (let i = 0; i < options.ids.length; i++) {
    const ours = await post(options.api, options.ourBodies.customer360(i)!, auth);
    const theirs = await post(options.peer, peer360(i));
    const mapped = peerCustomerAsOurs(theirs.data!.customerByRowId as Parameters<typeof peerCustomerAsOurs>[0]);
    const difference = firstDifference(ours.data!.customer as never, mapped as never);
    if (difference) throw new Error(`PostGraphile's customer-360 of ${options.ids[i]} differs from ours at ${difference}`);
  }
  for (const [name, body, peerBody] of [
    ['customer-360 page', options.ourBodies.customer360Page, peerBodies.customer360Page],
    ['customer list', options.ourBodies.customerList, peerBodies.customerList],
  ] as const) {
    const ours = (await post(options.api, body()!, auth)).data!.customers as { edges: unknown[] };
    const theirs = (await post(options.peer, peerBody())).data!.allCustomers as { edges: unknown[]; totalCount: number };
    if (ours.edges.length !== theirs.edges.length || typeof theirs.totalCount !== 'number') {
      throw new Error(`PostGraphile's ${name} has ${theirs.edges.length} edges, ours ${ours.edges.length}`);
    }
  }
}
