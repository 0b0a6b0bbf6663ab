import {
  AdminCreateEvaluationCycleDocument,
  AdminEvaluationCycleByIdDocument,
  AdminEvaluationCyclesDocument,
  AdminUpdateEvaluationCycleDocument,
  type AdminEvaluationCycleFragment,
  type CreateEvaluationCycleInput,
  type UpdateEvaluationCycleInput,
} from '../../../schema/generated/graphql';
import { listOperation, readOperation, versionOf, writeOperation, type ResourceAdapter } from '../providers/resource';

const WEIGHT_KEYS = ['purchaseCount', 'purchaseAmount', 'amountPaid', 'paymentTimeliness', 'contribution'] as const;

/** The form keeps weights as percentages (0–100); the API wants shares (0–1). */
export function weightsOf(data: Record<string, any>): CreateEvaluationCycleInput['weights'] {
  const weights = {} as CreateEvaluationCycleInput['weights'];
  for (const key of WEIGHT_KEYS) weights[key] = Math.round(Number(data.weights?.[key] ?? 0) * 100) / 10_000;
  return weights;
}

export function gradesOf(data: Record<string, any>): CreateEvaluationCycleInput['grades'] {
  return ((data.grades ?? []) as { name?: string; minScore?: number | string }[]).map((grade) => ({
    name: String(grade.name ?? '').trim(),
    minScore: Number(grade.minScore ?? 0),
  }));
}

function valueModelOf(data: Record<string, any>): CreateEvaluationCycleInput['valueModel'] {
  const model = data.valueModel;
  if (!model || model.marginRate === undefined || model.marginRate === null || model.marginRate === '') return undefined;
  return { marginRate: Number(model.marginRate) / 100, costPerInteraction: String(model.costPerInteraction ?? '50.00') };
}

function definitionOf(data: Record<string, any>) {
  return {
    name: String(data.name ?? '').trim(),
    periodStart: String(data.periodStart ?? '').slice(0, 10),
    periodEnd: String(data.periodEnd ?? '').slice(0, 10),
    weights: weightsOf(data),
    grades: gradesOf(data),
    valueModel: valueModelOf(data),
  };
}

/** API → form: weights and the margin rate as percentages. */
function toRecord(cycle: AdminEvaluationCycleFragment) {
  const weights: Record<string, number> = {};
  for (const key of WEIGHT_KEYS) weights[key] = Math.round(cycle.weights[key] * 10_000) / 100;
  return {
    ...cycle,
    weights: weights as unknown as AdminEvaluationCycleFragment['weights'],
    valueModel: { ...cycle.valueModel, marginRate: Math.round(cycle.valueModel.marginRate * 10_000) / 100 },
    shares: cycle.weights,
  };
}

export const evaluationCycleResource: ResourceAdapter<AdminEvaluationCycleFragment> = {
  list: listOperation(AdminEvaluationCyclesDocument, (data) => data.evaluationCycles, {
    filter: () => undefined,
    orderBy: () => undefined,
  }),
  one: readOperation(AdminEvaluationCycleByIdDocument, (data) => data.evaluationCycle),
  create: writeOperation(
    AdminCreateEvaluationCycleDocument,
    ({ data }) => ({ input: definitionOf(data) as CreateEvaluationCycleInput }),
    (data) => data.createEvaluationCycle,
  ),
  update: writeOperation(
    AdminUpdateEvaluationCycleDocument,
    ({ id, data, previousData }) => ({
      id: id!,
      input: { ...definitionOf(data), version: versionOf({ data, previousData }) } as UpdateEvaluationCycleInput,
    }),
    (data) => data.updateEvaluationCycle,
  ),
  toRecord: toRecord as never,
};

export { WEIGHT_KEYS };
