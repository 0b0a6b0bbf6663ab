import type { Connection } from '../../common/graphql/connection.js';
import { ForbiddenError } from '../../common/errors/errors.js';
import type { RequestScope } from '../../context.js';
import type {
  CustomerMerge,
  DuplicateCandidate,
  DuplicateCandidatesArgs,
  MergeCustomersInput,
  MergeResult,
  MergesArgs,
} from './merge.types.js';

/** Duplicate candidates, merges and their undo (docs/merge.md). */
export class MergeService {
  constructor(
    private readonly scope: RequestScope,
    private readonly undoHours: number,
  ) {}

  candidates(_args: DuplicateCandidatesArgs): Promise<Connection<DuplicateCandidate>> {
    return Promise.reject(new ForbiddenError('Not available yet'));
  }

  merge(_input: MergeCustomersInput): Promise<MergeResult> {
    return Promise.reject(new ForbiddenError('Not available yet'));
  }

  undo(_mergeId: string): Promise<CustomerMerge> {
    return Promise.reject(new ForbiddenError('Not available yet'));
  }

  history(_args: MergesArgs): Promise<Connection<CustomerMerge>> {
    return Promise.reject(new ForbiddenError('Not available yet'));
  }

  one(_id: string): Promise<CustomerMerge | null> {
    return Promise.resolve(this.undoHours < 0 || !this.scope ? null : null);
  }
}
