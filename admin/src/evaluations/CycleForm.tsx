import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import {
  ArrayInput,
  DateInput,
  FormDataConsumer,
  NumberInput,
  SaveButton,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
  Toolbar,
  maxValue,
  minValue,
  required,
  useTranslate,
} from 'react-admin';
import { SaveOnlyToolbar } from '../common/SaveOnlyToolbar';
import { WEIGHT_KEYS } from './evaluationCycleResource';

const grid = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr 1fr' }, width: '100%' } as const;
const weightGrid = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(5, 1fr)' }, width: '100%' } as const;

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The period a new cycle is proposed for: last calendar year (a cycle is evaluated after its
 * period closes) when no cycle covers any of it, otherwise the year that starts the day after the
 * latest cycle ends, so the proposal never overlaps a cycle that exists.
 */
export function proposedPeriod(taken: readonly { periodStart: string; periodEnd: string }[], now = new Date()) {
  const year = now.getUTCFullYear() - 1;
  const lastYear = { periodStart: `${year}-01-01`, periodEnd: `${year}-12-31`, name: `FY${year}` };
  const overlaps = taken.some((cycle) => cycle.periodStart <= lastYear.periodEnd && cycle.periodEnd >= lastYear.periodStart);
  if (!overlaps) return lastYear;
  const latestEnd = taken.reduce((latest, cycle) => (cycle.periodEnd > latest ? cycle.periodEnd : latest), taken[0]!.periodEnd);
  const start = new Date(`${latestEnd}T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() + 1);
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  end.setUTCDate(end.getUTCDate() - 1);
  const calendarYear = day(start).endsWith('-01-01');
  return {
    periodStart: day(start),
    periodEnd: day(end),
    name: calendarYear ? `FY${start.getUTCFullYear()}` : `${day(start)} – ${day(end)}`,
  };
}

export function cycleDefaults(taken: readonly { periodStart: string; periodEnd: string }[] = []) {
  return {
    ...proposedPeriod(taken),
    weights: { purchaseCount: 15, purchaseAmount: 30, amountPaid: 25, paymentTimeliness: 15, contribution: 15 },
    grades: [
      { name: 'Key account', minScore: 80 },
      { name: 'Quality', minScore: 60 },
      { name: 'VIP', minScore: 40 },
      { name: 'Normal', minScore: 0 },
    ],
    valueModel: { marginRate: 20, costPerInteraction: '50.00' },
  };
}

export function weightTotal(weights: Record<string, unknown> | undefined): number {
  return Math.round(WEIGHT_KEYS.reduce((sum, key) => sum + Number(weights?.[key] ?? 0), 0) * 100) / 100;
}

/** The rules the API applies, checked before sending: weights total 100%, grades strictly descending. */
export function validateCycle(values: Record<string, any>): Record<string, any> {
  const errors: Record<string, any> = {};
  if (values.periodStart && values.periodEnd && String(values.periodEnd) < String(values.periodStart))
    errors.periodEnd = 'resources.evaluationCycles.validation.periodOrder';
  // Not tied to one weight: <WeightTotal> shows it, live, under all five.
  if (Math.abs(weightTotal(values.weights) - 100) > 0.01) errors.weightsTotal = 'resources.evaluationCycles.validation.weightsTotal';
  const grades = (values.grades ?? []) as { name?: string; minScore?: number }[];
  if (!grades.length) errors.grades = 'resources.evaluationCycles.validation.gradesRequired';
  const names = new Set<string>();
  grades.forEach((grade, index) => {
    const name = String(grade?.name ?? '').trim();
    if (names.has(name))
      errors.grades = { ...(errors.grades ?? {}), [index]: { name: 'resources.evaluationCycles.validation.gradeUnique' } };
    names.add(name);
    const previous = grades[index - 1];
    if (index > 0 && previous && Number(grade?.minScore) >= Number(previous.minScore)) {
      errors.grades = { ...(errors.grades ?? {}), [index]: { minScore: 'resources.evaluationCycles.validation.gradesDescending' } };
    }
  });
  return errors;
}

function WeightTotal() {
  const translate = useTranslate();
  return (
    <FormDataConsumer>
      {({ formData }) => {
        const total = weightTotal(formData.weights);
        const ok = Math.abs(total - 100) <= 0.01;
        return (
          <Typography variant="body2" color={ok ? 'text.secondary' : 'error'} data-testid="weight-total" role={ok ? undefined : 'alert'}>
            {translate('resources.evaluationCycles.weights.total', { total })}
            {ok ? null : ` — ${translate('resources.evaluationCycles.validation.weightsTotal')}`}
          </Typography>
        );
      }}
    </FormDataConsumer>
  );
}

const percentRange = [required(), minValue(0), maxValue(100)];

/** Name, period, weights (percentages), grade thresholds (best first) and the value model. */
export function CycleForm({
  isEdit = false,
  taken = [],
}: {
  isEdit?: boolean;
  /** The periods of the cycles that exist, which a new cycle's proposal avoids. */
  taken?: readonly { periodStart: string; periodEnd: string }[];
}) {
  const translate = useTranslate();
  return (
    <SimpleForm
      // The defaults are a complete definition: a new cycle may be saved as proposed.
      toolbar={
        isEdit ? (
          <SaveOnlyToolbar />
        ) : (
          <Toolbar>
            <SaveButton alwaysEnable />
          </Toolbar>
        )
      }
      validate={validateCycle}
      defaultValues={isEdit ? undefined : cycleDefaults(taken)}
    >
      <Box sx={grid}>
        <TextInput source="name" validate={required()} />
        <DateInput source="periodStart" validate={required()} />
        <DateInput source="periodEnd" validate={required()} />
      </Box>
      <Typography variant="subtitle2" sx={{ mt: 1 }}>
        {translate('resources.evaluationCycles.sections.weights')}
      </Typography>
      <Box sx={weightGrid}>
        {WEIGHT_KEYS.map((key) => (
          <NumberInput
            key={key}
            source={`weights.${key}`}
            label={`resources.evaluationCycles.weights.${key}`}
            validate={percentRange}
            min={0}
            max={100}
            step={1}
          />
        ))}
      </Box>
      <WeightTotal />
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        {translate('resources.evaluationCycles.sections.grades')}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {translate('resources.evaluationCycles.help.grades')}
      </Typography>
      <ArrayInput source="grades" label={false}>
        <SimpleFormIterator inline disableReordering>
          <TextInput source="name" label="resources.evaluationCycles.fields.gradeName" validate={required()} />
          <NumberInput source="minScore" label="resources.evaluationCycles.fields.minScore" validate={percentRange} min={0} max={100} />
        </SimpleFormIterator>
      </ArrayInput>
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        {translate('resources.evaluationCycles.sections.valueModel')}
      </Typography>
      <Box sx={{ ...grid, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
        <NumberInput
          source="valueModel.marginRate"
          label="resources.evaluationCycles.fields.marginRate"
          validate={percentRange}
          min={0}
          max={100}
        />
        <TextInput
          source="valueModel.costPerInteraction"
          label="resources.evaluationCycles.fields.costPerInteraction"
          validate={required()}
        />
      </Box>
    </SimpleForm>
  );
}
