import type { RecordColumns, Timestamp } from '../../common/orm/loaders.js';
import type { GradeMovement, Quadrant, ValueTier } from './evaluation-cycle.enums.js';
import type { CycleStatus } from './evaluation.entity.js';

/** One customer's result in one cycle as the loaders read it: relations as ids (the lazy export columns are not read). */
export type EvaluationRow = RecordColumns & {
  cycle: string;
  customer: string;
  purchaseCount: number;
  purchaseAmount: string;
  amountPaid: string;
  onTimeShare: number | null;
  averageDaysLate: number | null;
  contribution: number | null;
  score: number | null;
  grade: string | null;
  territoryId: string | null;
  regionId: string | null;
  ownerId: string | null;
  rankInRegion: number | null;
  rankOverall: number | null;
  previousGrade: string | null;
  movement: GradeMovement | null;
  quadrant: Quadrant | null;
  valueTier: ValueTier | null;
  customerValue: string | null;
  metrics: Record<string, unknown> | null;
};

/** An evaluation cycle as the loaders read it. */
export type EvaluationCycleRow = RecordColumns & {
  name: string;
  periodStart: string;
  periodEnd: string;
  status: CycleStatus;
  settings: Record<string, unknown>;
  publishedAt: Timestamp | null;
  computedAt: Timestamp | null;
};
