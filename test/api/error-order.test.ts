import { describe, expect, it } from 'vitest';
import { inResponseOrder } from '../../api/src/common/graphql/error-order.js';

const error = (path: (string | number)[] | undefined, message = 'Not visible to you') => ({ message, ...(path ? { path } : {}) });

describe('errors in response order', () => {
  it('orders errors depth first by where their fields stand in the answer, whatever order the resolvers settled in', () => {
    // As graphql-js lists them when a relation is loaded later (a DataLoader): the parents' errors first.
    const data = {
      customers: {
        edges: [
          { node: { evaluations: [{ score: null, customer: { evaluations: [{ contribution: null, score: null }] } }] } },
          { node: { evaluations: [{ score: null, customer: { evaluations: [{ contribution: null, score: null }] } }] } },
        ],
      },
    };
    const at = (edge: number, ...rest: (string | number)[]) => ['customers', 'edges', edge, 'node', 'evaluations', 0, ...rest];
    const settled = [
      error(at(0, 'score')),
      error(at(1, 'score')),
      error(at(0, 'customer', 'evaluations', 0, 'contribution')),
      error(at(0, 'customer', 'evaluations', 0, 'score')),
      error(at(1, 'customer', 'evaluations', 0, 'contribution')),
      error(at(1, 'customer', 'evaluations', 0, 'score')),
    ];
    expect(inResponseOrder(settled, data)).toEqual([
      error(at(0, 'score')),
      error(at(0, 'customer', 'evaluations', 0, 'contribution')),
      error(at(0, 'customer', 'evaluations', 0, 'score')),
      error(at(1, 'score')),
      error(at(1, 'customer', 'evaluations', 0, 'contribution')),
      error(at(1, 'customer', 'evaluations', 0, 'score')),
    ]);
  });

  it('follows response order, not the alphabet, and keeps errors without a path first, as they came', () => {
    const data = { z: null, a: { y: null, b: null } };
    const errors = [error(['a', 'b']), error(undefined, 'first'), error(['a', 'y']), error(undefined, 'second'), error(['z'])];
    expect(inResponseOrder(errors, data)).toEqual([
      error(undefined, 'first'),
      error(undefined, 'second'),
      error(['z']),
      error(['a', 'y']),
      error(['a', 'b']),
    ]);
  });

  it('puts errors under a parent that was nulled in one order whatever order they came in (path, then message)', () => {
    // `a` was nulled by its non-null children: their keys are not in the answer.
    const data = { a: null, b: 1 };
    const one = [error(['a', 'y'], 'm2'), error(['b']), error(['a', 'x'], 'm1'), error(['a', 'x'], 'm0')];
    const other = [error(['a', 'x'], 'm0'), error(['a', 'x'], 'm1'), error(['b']), error(['a', 'y'], 'm2')];
    const expected = [error(['a', 'x'], 'm0'), error(['a', 'x'], 'm1'), error(['a', 'y'], 'm2'), error(['b'])];
    expect(inResponseOrder(one, data)).toEqual(expected);
    expect(inResponseOrder(other, data)).toEqual(expected);
  });
});
