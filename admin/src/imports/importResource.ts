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
/** Whether a revert can undo what the import wrote: a run that completed, was cancelled or failed part way (a dry run that failed wrote nothing). */
export function revertible(job: Pick<ImportSummary, 'status' | 'startedAt'>): boolean {
  return job.status === 'COMPLETED' || job.status === 'CANCELLED' || (job.status === 'FAILED' && job.startedAt != null);
}

/** Imports, newest first (the API's only order): the viewer's own, an admin's every one. */
export const importResource: ResourceAdapter<ImportSummary | ImportRecord> = {
  list: listOperation(AdminImportsDocument, (data) => data.imports, { filter: () => undefined, orderBy: () => undefined }),
  one: readOperation(AdminImportDocument, (data) => data.import),
  // A run creates and updates accounts and contacts.
  affects: ['customers', 'contacts', 'auditEvents'],
};
