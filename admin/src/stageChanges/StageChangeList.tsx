import Check from '@mui/icons-material/Check';
import Close from '@mui/icons-material/Close';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  DataTable,
  Link,
  List,
  SelectInput,
  useCanAccess,
  useDataProvider,
  useListContext,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import {
  AdminApproveStageChangeDocument,
  AdminRejectStageChangeDocument,
  type AdminStageChangeRequestFragment,
  type StageChangeStatus,
} from '../../../schema/generated/graphql';
import { STAGE_COLORS } from '../common/enums';
import { DateTimeField, DateTimeText, EnumText } from '../common/fields';
import { EmptyState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';

type Row = AdminStageChangeRequestFragment;
type Decision = 'approve' | 'reject';

const STATUSES: readonly StageChangeStatus[] = ['PENDING', 'APPROVED', 'REJECTED'];
const STATUS_COLORS: Record<StageChangeStatus, 'warning' | 'success' | 'error'> = {
  PENDING: 'warning',
  APPROVED: 'success',
  REJECTED: 'error',
};

const filters = [
  <SelectInput
    key="status"
    source="status"
    choices={STATUSES.map((id) => ({ id, name: `enums.StageChangeStatus.${id}` }))}
    alwaysOn
    emptyText="resources.stageChanges.allStatuses"
  />,
];

function StageChip({ stage }: { stage: Row['toStage'] }) {
  return (
    <Chip size="small" label={<EnumText type="LifecycleStage" value={stage} />} sx={{ bgcolor: STAGE_COLORS[stage], color: '#fff' }} />
  );
}

function DecisionDialog({ request, decision, onClose }: { request: Row; decision: Decision; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [comment, setComment] = useState('');
  const mutation = useMutation({
    mutationFn: async () => {
      const variables = { requestId: request.id, comment: comment.trim() || null };
      if (decision === 'approve')
        await dataProvider.execute(AdminApproveStageChangeDocument, variables, { affects: ['stageChanges', 'customers'] });
      else await dataProvider.execute(AdminRejectStageChangeDocument, variables, { affects: ['stageChanges'] });
    },
    onSuccess: () => {
      notify(`resources.stageChanges.notifications.${decision}`, { type: 'info' });
      refresh();
      onClose();
    },
    onError: (error: Error) => notify(error.message, { type: 'error', messageArgs: { _: error.message } }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate();
  };
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" slotProps={{ paper: { component: 'form', onSubmit: submit } as never }}>
      <DialogTitle>{translate(`resources.stageChanges.dialog.${decision}Title`, { name: request.customer?.legalName ?? '' })}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          {translate(`enums.LifecycleStage.${request.fromStage}`)} → {translate(`enums.LifecycleStage.${request.toStage}`)} ·{' '}
          {request.reason}
        </DialogContentText>
        <TextField
          label={translate('resources.stageChanges.fields.decisionComment')}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          fullWidth
          multiline
          minRows={2}
          slotProps={{ htmlInput: { name: 'comment', maxLength: 500 } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.close')}</Button>
        <Button type="submit" variant="contained" color={decision === 'approve' ? 'success' : 'error'} disabled={mutation.isPending}>
          {translate(`resources.stageChanges.actions.${decision}`)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ActionsCell() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'stageChanges', action: 'decide' });
  const [decision, setDecision] = useState<Decision | null>(null);
  if (!record || record.status !== 'PENDING' || !canAccess) return null;
  return (
    <Stack direction="row" spacing={1}>
      <Button size="small" color="success" variant="outlined" startIcon={<Check />} onClick={() => setDecision('approve')}>
        {translate('resources.stageChanges.actions.approve')}
      </Button>
      <Button size="small" color="error" variant="outlined" startIcon={<Close />} onClick={() => setDecision('reject')}>
        {translate('resources.stageChanges.actions.reject')}
      </Button>
      {decision ? <DecisionDialog request={record} decision={decision} onClose={() => setDecision(null)} /> : null}
    </Stack>
  );
}

function Empty() {
  const translate = useTranslate();
  const { filterValues } = useListContext();
  const status = filterValues?.status as string | undefined;
  return (
    <EmptyState
      message={
        status
          ? translate('resources.stageChanges.emptyStatus', { status: translate(`enums.StageChangeStatus.${status}`).toLocaleLowerCase() })
          : translate('resources.stageChanges.empty')
      }
    />
  );
}

/** Stage changes that need a manager: backwards, or skipping a stage. */
export function StageChangeList() {
  return (
    <List<Row>
      filters={filters}
      filterDefaultValues={{ status: 'PENDING' }}
      perPage={25}
      exporter={false}
      empty={false}
      actions={false}
      sx={{ '& .RaDataTable-tableWrapper': { overflowX: 'auto' } }}
    >
      <DataTable<Row> rowClick={false} bulkActionButtons={false} empty={<Empty />} data-testid="stage-change-table">
        <DataTable.Col source="createdAt" disableSort>
          <DateTimeField source="createdAt" />
        </DataTable.Col>
        <DataTable.Col
          source="customer.legalName"
          label="resources.stageChanges.fields.customer"
          disableSort
          render={(record: Row) =>
            record.customer ? <Link to={`/customers/${record.customer.id}/show`}>{record.customer.legalName}</Link> : '—'
          }
        />
        <DataTable.Col
          source="toStage"
          label="resources.stageChanges.fields.change"
          disableSort
          render={(record: Row) => (
            <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
              <StageChip stage={record.fromStage} />
              <Typography variant="body2">→</Typography>
              <StageChip stage={record.toStage} />
            </Stack>
          )}
        />
        <DataTable.Col source="requestedBy.name" label="resources.stageChanges.fields.requestedBy" disableSort />
        <DataTable.Col source="reason" disableSort sx={{ maxWidth: 280 }} />
        <DataTable.Col
          source="status"
          disableSort
          render={(record: Row) => (
            <Chip size="small" color={STATUS_COLORS[record.status]} label={<EnumText type="StageChangeStatus" value={record.status} />} />
          )}
        />
        <DataTable.Col
          source="decidedBy"
          label="resources.stageChanges.fields.decision"
          disableSort
          render={(record: Row) =>
            record.decidedBy ? (
              <Box>
                <Typography variant="body2">
                  {record.decidedBy.name} · <DateTimeText value={record.decidedAt} />
                </Typography>
                {record.decisionComment ? (
                  <Typography variant="caption" color="text.secondary">
                    {record.decisionComment}
                  </Typography>
                ) : null}
              </Box>
            ) : (
              '—'
            )
          }
        />
        <DataTable.Col source="id" label="resources.stageChanges.fields.actions" disableSort>
          <ActionsCell />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

export default StageChangeList;
