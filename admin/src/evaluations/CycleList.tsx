import Chip from '@mui/material/Chip';
import { CreateButton, DataTable, List, TopToolbar, useCanAccess, useRecordContext, useTranslate } from 'react-admin';
import type { AdminEvaluationCycleFragment, CycleStatus } from '../../../schema/generated/graphql';
import { DateTimeField } from '../common/fields';
import { EmptyState } from '../common/states';

type Row = AdminEvaluationCycleFragment;

export const CYCLE_STATUS_COLORS: Record<CycleStatus, 'default' | 'info' | 'success'> = {
  DRAFT: 'default',
  COMPUTED: 'info',
  PUBLISHED: 'success',
};

export function CycleStatusChip() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Chip
      size="small"
      color={CYCLE_STATUS_COLORS[record.status]}
      label={translate(`enums.CycleStatus.${record.status}`)}
      data-testid="cycle-status"
    />
  );
}

function Empty() {
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'evaluationCycles', action: 'create' });
  return (
    <EmptyState
      message={translate('resources.evaluationCycles.empty')}
      action={canAccess ? <CreateButton variant="contained" /> : undefined}
    />
  );
}

/** Evaluation cycles, newest period first. */
export function CycleList() {
  const { canAccess: canCreate } = useCanAccess({ resource: 'evaluationCycles', action: 'create' });
  return (
    <List<Row> perPage={25} exporter={false} empty={<Empty />} actions={<TopToolbar>{canCreate ? <CreateButton /> : null}</TopToolbar>}>
      <DataTable<Row> rowClick="show" bulkActionButtons={false} data-testid="cycle-table">
        <DataTable.Col source="name" disableSort />
        <DataTable.Col
          source="periodStart"
          label="resources.evaluationCycles.fields.period"
          disableSort
          render={(record: Row) => `${record.periodStart} – ${record.periodEnd}`}
        />
        <DataTable.Col source="status" disableSort>
          <CycleStatusChip />
        </DataTable.Col>
        <DataTable.Col source="computedAt" disableSort>
          <DateTimeField source="computedAt" />
        </DataTable.Col>
        <DataTable.Col source="publishedAt" disableSort>
          <DateTimeField source="publishedAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

export default CycleList;
