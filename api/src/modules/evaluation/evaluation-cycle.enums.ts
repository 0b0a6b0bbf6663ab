import { registerEnumType } from 'type-graphql';

/** How a customer's grade moved against the previous published cycle. */
export enum GradeMovement {
  UP = 'UP',
  DOWN = 'DOWN',
  SAME = 'SAME',
  NEW = 'NEW',
}
registerEnumType(GradeMovement, {
  name: 'GradeMovement',
  description: 'Grade against the previous published cycle; NEW when the customer was not in it.',
});

/** Loyalty × profit (see docs/evaluation.md for the definitions). */
export enum Quadrant {
  I = 'I',
  II = 'II',
  III = 'III',
  IV = 'IV',
}
registerEnumType(Quadrant, {
  name: 'Quadrant',
  description: 'Loyalty × profit: I loyal and profitable, II profitable but short-lived, III loyal but low profit, IV neither.',
});

export enum ValueTier {
  MVC = 'MVC',
  MGC = 'MGC',
  BELOW_ZERO = 'BELOW_ZERO',
}
registerEnumType(ValueTier, {
  name: 'ValueTier',
  description:
    'MVC: most valuable (top 20% by customer value); MGC: most growable (rising trend or open quotes); BELOW_ZERO: cost to serve exceeds margin. Null: none of these.',
});

export enum RunStatus {
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  FAILED = 'FAILED',
}
registerEnumType(RunStatus, { name: 'EvaluationRunStatus' });

export enum RunPhase {
  METRICS = 'METRICS',
  SCORING = 'SCORING',
  FINISHED = 'FINISHED',
}
registerEnumType(RunPhase, { name: 'EvaluationRunPhase' });
