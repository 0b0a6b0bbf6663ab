export { seesCompanyTotals } from './evaluation.permissions.js';
export { LATEST_PUBLISHED_CYCLE_SQL, latestGradeInSql, latestGradeJoins, latestGradeRankSql } from './evaluation.grades.js';
// Spreadsheet-safe CSV text: the import report writes it too.
export { csvValue } from './evaluation.export.js';
export { EVALUATIONS_OF_SQL, EVALUATION_ACCOUNT_SQL, EVALUATION_MERGED_FROM_SQL } from './evaluation.lineage.js';
export type { EvaluationFeedArgs } from './evaluation-cycle.inputs.js';
// What the loaders read of a result and of a cycle: the customer module's loaders and resolvers take them.
export type { EvaluationCycleRow, EvaluationRow } from './evaluation.rows.js';
