import {
  AdminImportDocument,
  AdminImportsDocument,
  type AdminImportFragment,
  type AdminImportSummaryFragment,
  type ImportStatus,
} from '../../../schema/generated/graphql';
import { listOperation, readOperation, type ResourceAdapter } from '../providers/resource';

export type ImportRecord = AdminImportFragment;
export type ImportSummary = AdminImportSummaryFragment;

/** While the server works on an import (the dry run, the run, the revert), the screen follows it. */
export const WORKING: readonly ImportStatus[] = ['UPLOADED', 'ANALYZING', 'RUNNING', 'REVERTING'];
/** Statuses whose writes a revert can undo. */
export const REVERTIBLE: readonly ImportStatus[] = ['COMPLETED', 'CANCELLED'];

/** Imports, newest first (the API's only order): the viewer's own, an admin's every one. */
export const importResource: ResourceAdapter<ImportSummary | ImportRecord> = {
  list: listOperation(AdminImportsDocument, (data) => data.imports, { filter: () => undefined, orderBy: () => undefined }),
  one: readOperation(AdminImportDocument, (data) => data.import),
  // A run creates and updates accounts and contacts.
  affects: ['customers', 'contacts', 'auditEvents'],
};
