/**
 * The documents the bench sends to PostGraphile (bench/peer-postgraphile.ts), asking for the same
 * fields as ours in schema/documents/customer.graphql, and the mapping of its answer onto ours so
 * the bench can check that both hold the same data before it times them.
 *
 * Mapping (PostGraphile amber names → ours):
 * - `customerByRowId(rowId:)` → `customer(id:)`; `allCustomers` → `customers`. Its `id` is a
 *   global node id, so every table's `id` column is `rowId`.
 * - the address columns are flat (`addressLine`, `city`…) → `address { line city … }`.
 * - `regionByTerritoryId` → `territory`, `appUserByOwnerId` → `owner`.
 * - `contactsByCustomerId`, `orderLinesByOrderId`, `paymentsByOrderId`, `evaluationsByCustomerId`
 *   are connections → our lists (`…{ nodes }` → `[…]`).
 * - `interactionsByCustomerId(first: 10, orderBy: [OCCURRED_AT_DESC, PRIMARY_KEY_DESC])` →
 *   `interactions(first: 10)`; `salesOrdersByCustomerId(first: 10, orderBy: [ORDERED_AT_DESC,
 *   PRIMARY_KEY_DESC])` → `orders(first: 10)`: the same order as ours.
 *
 * What the standard preset cannot express (it orders and filters by indexed columns only), so the
 * check compares these as sets and the timing includes no sort for them on its side: contacts (ours
 * by name), order lines (ours by position), evaluations (ours newest first). Its pages have no
 * `archivedAt is null` filter: they list archived accounts too, so only the customer-360 by id is
 * checked field by field; the pages are checked for shape and size.
 */
const PROFILE = `fragment PeerProfile on Customer {
  rowId version legalName registrationId industry lifecycleStage relationshipLevel creditStanding tags websiteDomain notes
  archivedAt createdAt updatedAt addressLine city province postalCode country
  regionByTerritoryId { rowId code name }
  appUserByOwnerId { rowId name }
}`;

const C360 = `fragment Peer360 on Customer {
  ...PeerProfile
  contactsByCustomerId { nodes { rowId name title email mobile phone } }
  interactionsByCustomerId(first: 10, orderBy: [OCCURRED_AT_DESC, PRIMARY_KEY_DESC]) {
    totalCount
    edges { node { rowId kind channel occurredAt summary outcome } }
    pageInfo { hasNextPage endCursor }
  }
  salesOrdersByCustomerId(first: 10, orderBy: [ORDERED_AT_DESC, PRIMARY_KEY_DESC]) {
    edges {
      node {
        rowId number status orderedAt currency total
        orderLinesByOrderId { nodes { position product quantity unitPrice discountPercent amount } }
        paymentsByOrderId(orderBy: [DUE_DATE_ASC]) { nodes { amount dueDate paidAt } }
      }
    }
  }
  evaluationsByCustomerId { nodes { grade score } }
}
${PROFILE}`;

export const PEER_CUSTOMER_360 = `query PeerCustomer360($id: UUID!) { customerByRowId(rowId: $id) { ...Peer360 } }
${C360}`;

export const PEER_CUSTOMER_360_PAGE = `query PeerCustomer360Page($first: Int) {
  allCustomers(first: $first, orderBy: [LEGAL_NAME_ASC, PRIMARY_KEY_ASC]) {
    totalCount
    edges { cursor node { ...Peer360 } }
    pageInfo { hasNextPage endCursor }
  }
}
${C360}`;

export const PEER_CUSTOMER_LIST = `query PeerCustomerList($first: Int) {
  allCustomers(first: $first, orderBy: [LEGAL_NAME_ASC, PRIMARY_KEY_ASC]) {
    totalCount
    edges { cursor node { ...PeerProfile } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
${PROFILE}`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Row = Record<string, Json>;

const nodes = (connection: Json): Row[] => ((connection as { nodes: Row[] } | null)?.nodes ?? []) as Row[];
const edges = (connection: Json): Row[] => ((connection as { edges: { node: Row }[] } | null)?.edges ?? []).map((edge) => edge.node);
const renameId = ({ rowId, ...rest }: Row): Row => ({ id: rowId ?? null, ...rest });

/** PostGraphile's customer-360 customer in our shape (see the mapping above). */
export function peerCustomerAsOurs(peer: Row): Row {
  const {
    rowId,
    addressLine,
    city,
    province,
    postalCode,
    country,
    regionByTerritoryId,
    appUserByOwnerId,
    contactsByCustomerId,
    interactionsByCustomerId,
    salesOrdersByCustomerId,
    evaluationsByCustomerId,
    ...profile
  } = peer;
  const interactions = interactionsByCustomerId as Row;
  return {
    id: rowId ?? null,
    ...profile,
    address: {
      line: addressLine ?? null,
      city: city ?? null,
      province: province ?? null,
      postalCode: postalCode ?? null,
      country: country ?? null,
    },
    territory: regionByTerritoryId ? renameId(regionByTerritoryId as Row) : null,
    owner: appUserByOwnerId ? renameId(appUserByOwnerId as Row) : null,
    contacts: nodes(contactsByCustomerId ?? null).map(renameId),
    interactions: {
      totalCount: interactions.totalCount ?? null,
      edges: edges(interactions).map((node) => ({ node: renameId(node) })),
      pageInfo: { hasNextPage: (interactions.pageInfo as Row).hasNextPage ?? null },
    },
    orders: {
      edges: edges(salesOrdersByCustomerId ?? null).map(({ orderLinesByOrderId, paymentsByOrderId, ...order }) => ({
        node: { ...renameId(order), lines: nodes(orderLinesByOrderId ?? null), payments: nodes(paymentsByOrderId ?? null) },
      })),
    },
    evaluations: nodes(evaluationsByCustomerId ?? null),
  };
}

/** Fields each side writes in its own format: instants (ISO, any offset), decimals (text or number). */
const INSTANTS = new Set(['archivedAt', 'createdAt', 'updatedAt', 'occurredAt', 'orderedAt', 'paidAt']);
const DECIMALS = new Set(['total', 'quantity', 'unitPrice', 'discountPercent', 'amount', 'score']);
/** Lists the peer cannot order as we do (see above): compared as sets. */
const UNORDERED = new Set(['contacts', 'lines', 'evaluations']);

function canonical(value: Json, key = ''): Json {
  if (value === null) return null;
  if (INSTANTS.has(key) && typeof value === 'string') return new Date(value).toISOString();
  if (DECIMALS.has(key) && (typeof value === 'string' || typeof value === 'number')) return Number(value);
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item));
    return UNORDERED.has(key) ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((name) => name !== 'endCursor' && name !== '__typename')
        .sort()
        .map((name) => [name, canonical(value[name]!, name)]),
    );
  }
  return value;
}

/** The first path where two customer-360 answers differ (after canonicalising), or null when they hold the same data. */
export function firstDifference(ours: Json, theirs: Json): string | null {
  const walk = (a: Json, b: Json, at: string): string | null => {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      if (Array.isArray(a) !== Array.isArray(b)) return at;
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      if (Array.isArray(a) && a.length !== (b as Json[]).length) return `${at}.length (${a.length} vs ${(b as Json[]).length})`;
      for (const key of keys) {
        const found = walk((a as Row)[key] ?? null, (b as Row)[key] ?? null, `${at}.${key}`);
        if (found) return found;
      }
      return null;
    }
    return a === b ? null : `${at} (${JSON.stringify(a)} vs ${JSON.stringify(b)})`;
  };
  return walk(canonical(ours), canonical(theirs), '$');
}
