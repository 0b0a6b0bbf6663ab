import { describe, expect, it } from 'vitest';
import { firstDifference, peerCustomerAsOurs } from '../../bench/peer-documents.js';

// A customer-360 as PostGraphile's amber schema answers it, and the same data as our API writes it
// (hand-written from schema/documents/customer.graphql): the bench's check must see them as equal.
const peer = {
  rowId: 'c1',
  version: 2,
  legalName: 'Acme',
  createdAt: '2026-11-20T03:49:00.589000+00:00',
  archivedAt: null,
  addressLine: 'Road 1',
  city: 'Wuhan',
  province: 'Hubei',
  postalCode: '430000',
  country: 'CN',
  regionByTerritoryId: { rowId: 'r1', code: 'WH', name: 'Wuhan' },
  appUserByOwnerId: { rowId: 'u1', name: 'Li' },
  contactsByCustomerId: {
    nodes: [
      { rowId: 'k2', name: 'Zhou' },
      { rowId: 'k1', name: 'Chen' },
    ],
  },
  interactionsByCustomerId: {
    totalCount: 11,
    edges: [{ node: { rowId: 'i1', kind: 'CALL', occurredAt: '2026-12-02T13:25:09.483+08:00' } }],
    pageInfo: { hasNextPage: true, endCursor: 'WyJwcmltYXJ5X2tleV9hc2MiXQ==' },
  },
  salesOrdersByCustomerId: {
    edges: [
      {
        node: {
          rowId: 'o1',
          total: '1200.50',
          orderLinesByOrderId: {
            nodes: [
              { position: 2, amount: '200.50' },
              { position: 1, amount: '1000.00' },
            ],
          },
          paymentsByOrderId: { nodes: [{ amount: '1200.50', dueDate: '2026-12-31', paidAt: null }] },
        },
      },
    ],
  },
  evaluationsByCustomerId: { nodes: [{ grade: 'A', score: 91.5 }] },
};

const ours = {
  id: 'c1',
  version: 2,
  legalName: 'Acme',
  createdAt: '2026-11-20T03:49:00.589Z',
  archivedAt: null,
  address: { line: 'Road 1', city: 'Wuhan', province: 'Hubei', postalCode: '430000', country: 'CN' },
  territory: { id: 'r1', code: 'WH', name: 'Wuhan' },
  owner: { id: 'u1', name: 'Li' },
  contacts: [
    { id: 'k1', name: 'Chen' },
    { id: 'k2', name: 'Zhou' },
  ],
  interactions: {
    totalCount: 11,
    edges: [{ node: { id: 'i1', kind: 'CALL', occurredAt: '2026-12-02T05:25:09.483Z' } }],
    pageInfo: { hasNextPage: true, endCursor: 'opaque-and-ours' },
  },
  orders: {
    edges: [
      {
        node: {
          id: 'o1',
          total: '1200.5',
          lines: [
            { position: 1, amount: '1000' },
            { position: 2, amount: '200.5' },
          ],
          payments: [{ amount: '1200.50', dueDate: '2026-12-31', paidAt: null }],
        },
      },
    ],
  },
  evaluations: [{ grade: 'A', score: 91.5 }],
};

describe('the peer check (bench/peer-documents.ts)', () => {
  it('finds no difference between the same data in either naming, format and order of unordered lists', () => {
    expect(firstDifference(ours, peerCustomerAsOurs(peer))).toBeNull();
  });

  it('names the first field whose value differs', () => {
    const changed = structuredClone(peer);
    changed.salesOrdersByCustomerId.edges[0]!.node.paymentsByOrderId.nodes[0]!.dueDate = '2027-01-01';
    expect(firstDifference(ours, peerCustomerAsOurs(changed))).toBe(
      '$.orders.edges.0.node.payments.0.dueDate ("2026-12-31" vs "2027-01-01")',
    );
  });

  it('keeps the order of ordered lists: interactions out of order differ', () => {
    const twice = structuredClone(peer);
    twice.interactionsByCustomerId.edges = [
      { node: { rowId: 'i2', kind: 'VISIT', occurredAt: '2026-12-01T00:00:00Z' } },
      { node: { rowId: 'i1', kind: 'CALL', occurredAt: '2026-12-02T05:25:09.483Z' } },
    ];
    const oursTwice = structuredClone(ours);
    oursTwice.interactions.edges = [...twice.interactionsByCustomerId.edges]
      .reverse()
      .map(({ node: { rowId, ...node } }) => ({ node: { id: rowId, ...node } }));
    expect(firstDifference(oursTwice, peerCustomerAsOurs(twice))).toMatch(/^\$\.interactions\.edges\.0\.node\.id /);
  });

  it('counts a missing evaluation as a difference', () => {
    expect(firstDifference(ours, peerCustomerAsOurs({ ...peer, evaluationsByCustomerId: { nodes: [] } }))).toBe(
      '$.evaluations.length (1 vs 0)',
    );
  });
});
