import {
  AdminRequestTransferDocument,
  AdminTransferRequestByIdDocument,
  AdminTransferRequestsDocument,
  type AdminTransferRequestFragment,
  type RequestTransferInput,
} from '../../../schema/generated/graphql';
import { compact, listOperation, readOperation, writeOperation, type ResourceAdapter } from '../providers/resource';

/** Transfer requests, newest first (the API's only order). Decisions are documents of their own. */
export const transferResource: ResourceAdapter<AdminTransferRequestFragment> = {
  list: listOperation(AdminTransferRequestsDocument, (data) => data.transferRequests, {
    filter: (filter) =>
      compact({
        status: filter.status || undefined,
        mine: filter.mine === true ? true : undefined,
        customerId: filter.customerId || undefined,
      }),
    orderBy: () => undefined,
  }),
  one: readOperation(AdminTransferRequestByIdDocument, (data) => data.transferRequest),
  create: writeOperation(
    AdminRequestTransferDocument,
    ({ data }) => ({
      input: compact({
        customerId: data.customerId,
        reason: String(data.reason ?? '').trim(),
        toOwnerId: data.toOwnerId || undefined,
        toTerritoryId: data.toTerritoryId || undefined,
      }) as RequestTransferInput,
    }),
    (data) => data.requestTransfer,
  ),
  // An approved transfer moves the account: the customer lists change too.
  affects: ['customers', 'auditEvents'],
};
