import {
  AdminStageChangeRequestsDocument,
  type AdminStageChangeRequestFragment,
  type StageChangeStatus,
} from '../../../schema/generated/graphql';
import { listOperation, type ResourceAdapter } from '../providers/resource';

/** Manual stage changes awaiting (or past) a manager's decision, newest first; no status: all. */
export const stageChangeResource: ResourceAdapter<AdminStageChangeRequestFragment> = {
  list: listOperation(AdminStageChangeRequestsDocument, (data) => data.lifecycleChangeRequests, {
    filter: () => undefined,
    orderBy: () => undefined,
    arguments: (filter) => ({ status: (filter.status || null) as StageChangeStatus | null }),
  }),
  affects: ['customers'],
};
