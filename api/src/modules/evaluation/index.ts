export { seesCompanyTotals } from './evaluation.permissions.js';
export { LATEST_PUBLISHED_CYCLE_SQL, latestGradeInSql, latestGradeJoins, latestGradeRankSql } from './evaluation.grades.js';
// Spreadsheet-safe CSV text: the import report writes it too.
export { csvValue } from './evaluation.export.js';
export { EVALUATIONS_OF_SQL, EVALUATION_ACCOUNT_SQL, EVALUATION_MERGED_FROM_SQL } from './evaluation.lineage.js';
export type { EvaluationFeedArgs } from './evaluation-cycle.inputs.js';
