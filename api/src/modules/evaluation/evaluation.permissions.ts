import type { Reach } from '../../common/access/index.js';

/**
 * Company-wide figures are for viewers who see every account (admins). `evaluationDistribution`
 * sums only what the viewer may open; a result's `contribution` (a share of the whole cycle's
 * revenue) or its normalised form (÷ the largest customer's purchases) would give those totals
 * back: purchaseAmount ÷ contribution is the company's revenue. The score is a weighted sum of the
 * normalised metrics, and the weights are public, so the score and every normalised metric are
 * company-wide too: from any of them the rest can be solved for. The GraphQL fields and the bulk
 * export both follow this rule.
 */
export function seesCompanyTotals(reach: Reach): boolean {
  return reach.all;
}
