import Check from '@mui/icons-material/Check';
import Close from '@mui/icons-material/Close';
import Undo from '@mui/icons-material/Undo';
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
import useMediaQuery from '@mui/material/useMediaQuery';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  BooleanInput,
  DataTable,
  FilterButton,
  Link,
  List,
  SelectInput,
  TopToolbar,
  useCanAccess,
  useDataProvider,
  useGetIdentity,
  useListContext,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import {
  AdminApproveTransferDocument,
  AdminCancelTransferDocument,
  AdminRejectTransferDocument,
  type AdminTransferRequestFragment,
} from '../../../schema/generated/graphql';
import { useSaveErrorHandler } from '../common/conflict';
import { TRANSFER_STATUSES, TRANSFER_STATUS_COLORS, enumChoices } from '../common/enums';
import { DateTimeField, DateTimeText, Placement } from '../common/fields';
import { regionName } from '../common/format';
import { EmptyState } from '../common/states';
import { COMPACT_TABLE_QUERY } from '../layout/Layout';
import type { ConsoleDataProvider } from '../providers/dataProvider';

type Row = AdminTransferRequestFragment;
type Decision = 'approve' | 'reject' | 'cancel';

const filters = [
  <SelectInput
    key="status"
    source="status"
    choices={enumChoices('TransferStatus', TRANSFER_STATUSES)}
    alwaysOn
    emptyText="resources.transfers.allStatuses"
  />,
  <BooleanInput key="mine" source="mine" alwaysOn />,
];

function CustomerCell() {
  const record = useRecordContext<Row>();
  if (!record) return null;
  return (
    <Link to={`/customers/${record.customer.id}/show`} onClick={(event: { stopPropagation(): void }) => event.stopPropagation()}>
      {record.customer.legalName}
    </Link>
  );
}

function StatusCell() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Chip
      size="small"
      color={TRANSFER_STATUS_COLORS[record.status]}
      label={translate(`enums.TransferStatus.${record.status}`)}
      data-testid={`transfer-status-${record.id}`}
    />
  );
}

function DecisionCell() {
  const record = useRecordContext<Row>();
  if (!record?.decidedBy) return <>—</>;
  return (
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
  );
}

/** Approve (optional comment), reject (comment required) or cancel (requester) one request. */
export function DecisionDialog({ request, decision, onClose }: { request: Row; decision: Decision; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [locale] = useLocaleState();
  const onConflict = useSaveErrorHandler();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [comment, setComment] = useState('');
  const affects = ['transfers', 'customers', 'auditEvents'];
  const mutation = useMutation({
    mutationFn: async () => {
      const version = request.version ?? 0;
      if (decision === 'approve')
        await dataProvider.execute(AdminApproveTransferDocument, { id: request.id, version, comment: comment.trim() || null }, { affects });
      else if (decision === 'reject')
        await dataProvider.execute(AdminRejectTransferDocument, { id: request.id, version, comment: comment.trim() }, { affects });
      else await dataProvider.execute(AdminCancelTransferDocument, { id: request.id, version }, { affects });
    },
    onSuccess: () => {
      notify(`resources.transfers.notifications.${decision}`, { type: 'info' });
      refresh();
      onClose();
    },
    onError: onConflict,
  });
  const needsComment = decision === 'reject';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!needsComment || comment.trim()) mutation.mutate();
  };
  const name = request.customer.legalName;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" slotProps={{ paper: { component: 'form', onSubmit: submit } as never }}>
      <DialogTitle>{translate(`resources.transfers.dialog.${decision}Title`, { name })}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          {translate('resources.transfers.dialog.move', {
            from: `${request.fromOwner.name} (${regionName(request.fromTerritory, locale)})`,
            to: `${request.toOwner.name} (${regionName(request.toTerritory, locale)})`,
          })}
        </DialogContentText>
        <DialogContentText sx={{ mb: 2 }}>
          {translate('resources.transfers.fields.reason')}: {request.reason}
        </DialogContentText>
        {decision === 'cancel' ? null : (
          <TextField
            label={translate('resources.transfers.fields.decisionComment')}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            required={needsComment}
            autoFocus
            fullWidth
            multiline
            minRows={2}
            helperText={
              needsComment
                ? translate('resources.transfers.dialog.commentRequired')
                : translate('resources.transfers.dialog.commentOptional')
            }
            slotProps={{ htmlInput: { name: 'comment', maxLength: 2000 } }}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.close')}</Button>
        <Button
          type="submit"
          variant="contained"
          color={decision === 'approve' ? 'success' : 'error'}
          disabled={mutation.isPending || (needsComment && !comment.trim())}
        >
          {translate(`resources.transfers.actions.${decision}`)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ActionsCell() {
  const record = useRecordContext<Row>();
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { canAccess: canDecide } = useCanAccess({ resource: 'transfers', action: 'decide' });
  const [decision, setDecision] = useState<Decision | null>(null);
  if (!record || record.status !== 'PENDING') return null;
  const mine = identity?.id === record.requestedBy.id;
  return (
    <Stack
      direction={{ xs: 'column', lg: 'row' }}
      spacing={1}
      sx={{ alignItems: 'flex-start' }}
      onClick={(event: { stopPropagation(): void }) => event.stopPropagation()}
    >
      {canDecide ? (
        <>
          <Button size="small" color="success" variant="outlined" startIcon={<Check />} onClick={() => setDecision('approve')}>
            {translate('resources.transfers.actions.approve')}
          </Button>
          <Button size="small" color="error" variant="outlined" startIcon={<Close />} onClick={() => setDecision('reject')}>
            {translate('resources.transfers.actions.reject')}
          </Button>
        </>
      ) : null}
      {mine ? (
        <Button size="small" startIcon={<Undo />} onClick={() => setDecision('cancel')}>
          {translate('resources.transfers.actions.cancel')}
        </Button>
      ) : null}
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
          ? translate('resources.transfers.emptyStatus', { status: translate(`enums.TransferStatus.${status}`).toLocaleLowerCase() })
          : translate('resources.transfers.empty')
      }
    />
  );
}

/**
 * On a tablet the inbox drops what the filter already says (status, decision of pending
 * requests) and shows the requester under the reason, so Approve and Reject stay on screen.
 */
function TransferTable() {
  const narrow = useMediaQuery(COMPACT_TABLE_QUERY);
  const translate = useTranslate();
  const { filterValues } = useListContext();
  const pendingOnly = filterValues?.status === 'PENDING';
  return (
    <DataTable<Row> rowClick={false} bulkActionButtons={false} empty={<Empty />} data-testid="transfer-table">
      <DataTable.Col source="createdAt" disableSort>
        <DateTimeField source="createdAt" />
      </DataTable.Col>
      <DataTable.Col source="customer" label="resources.transfers.fields.customer" disableSort>
        <CustomerCell />
      </DataTable.Col>
      <DataTable.Col
        source="fromOwner"
        label="resources.transfers.fields.from"
        disableSort
        render={(record: Row) => <Placement owner={record.fromOwner} territory={record.fromTerritory} />}
      />
      <DataTable.Col
        source="toOwner"
        label="resources.transfers.fields.to"
        disableSort
        render={(record: Row) => <Placement owner={record.toOwner} territory={record.toTerritory} />}
      />
      {narrow ? null : <DataTable.Col source="requestedBy.name" label="resources.transfers.fields.requestedBy" disableSort />}
      <DataTable.Col
        source="reason"
        disableSort
        sx={{ maxWidth: narrow ? 200 : 280 }}
        render={(record: Row) => (
          <>
            {record.reason}
            {narrow ? (
              <Typography variant="caption" component="div" color="text.secondary">
                {translate('resources.transfers.fields.requestedBy')}: {record.requestedBy.name}
              </Typography>
            ) : null}
          </>
        )}
      />
      {narrow && pendingOnly ? null : (
        <DataTable.Col source="status" disableSort>
          <StatusCell />
        </DataTable.Col>
      )}
      {pendingOnly ? null : (
        <DataTable.Col source="decidedBy" label="resources.transfers.fields.decision" disableSort>
          <DecisionCell />
        </DataTable.Col>
      )}
      <DataTable.Col source="id" label="resources.transfers.fields.actions" disableSort>
        <ActionsCell />
      </DataTable.Col>
    </DataTable>
  );
}

/**
 * The transfer inbox: managers and admins decide pending requests; everyone sees the requests
 * they filed (and reps those about accounts they own) and may cancel their own.
 */
export function TransferList() {
  return (
    <List<Row>
      filters={filters}
      filterDefaultValues={{ status: 'PENDING' }}
      perPage={25}
      exporter={false}
      empty={false}
      actions={
        <TopToolbar>
          <FilterButton />
        </TopToolbar>
      }
      sx={{ '& .RaDataTable-tableWrapper': { overflowX: 'auto' } }}
    >
      <TransferTable />
    </List>
  );
}

export default TransferList;
