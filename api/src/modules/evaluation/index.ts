export { seesCompanyTotals } from './evaluation.permissions.js';
export { LATEST_PUBLISHED_CYCLE_SQL, latestGradeInSql, latestGradeJoins, latestGradeRankSql } from './evaluation.grades.js';
