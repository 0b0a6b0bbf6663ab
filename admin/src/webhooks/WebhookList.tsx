import Typography from '@mui/material/Typography';
import { CreateButton, DataTable, Link, List, TopToolbar, useCreatePath, useRecordContext, useTranslate } from 'react-admin';
import type { AdminWebhookFragment } from '../../../schema/generated/graphql';
import { DateTimeField } from '../common/fields';
import { ActionsColumn, useCompactTable } from '../common/rowActions';
import { EmptyState } from '../common/states';
import { DeleteWebhookButton, DeliveryLogButton, RotateSecretButton, ToggleWebhookButton } from './WebhookActions';
import { TypesCell, WebhookStatusChip } from './WebhookState';

type Row = AdminWebhookFragment;

/** The target, linking to the webhook's page (state and delivery log). */
function UrlCell() {
  const record = useRecordContext<Row>();
  const createPath = useCreatePath();
  if (!record) return null;
  return (
    <Typography
      variant="body2"
      component={Link}
      to={createPath({ resource: 'webhooks', id: record.id, type: 'show' })}
      sx={{ fontFamily: 'monospace', wordBreak: 'break-all', display: 'inline-block', minWidth: 160 }}
    >
      {record.url}
    </Typography>
  );
}

function StatusCell() {
  const record = useRecordContext<Row>();
  return record ? <WebhookStatusChip webhook={record} /> : null;
}

function Empty() {
  const translate = useTranslate();
  return <EmptyState message={translate('resources.webhooks.empty')} action={<CreateButton variant="contained" />} />;
}

/**
 * On a tablet or a small laptop the state and the actions come right after the URL and the last
 * delivery is left to the webhook's page, so both are on screen without scrolling the table.
 */
function WebhookTable() {
  const narrow = useCompactTable();
  const actions = (
    <ActionsColumn label="resources.webhooks.fields.actions">
      <DeliveryLogButton />
      <ToggleWebhookButton />
      <RotateSecretButton />
      <DeleteWebhookButton />
    </ActionsColumn>
  );
  const status = (
    <DataTable.Col source="enabled" label="resources.webhooks.fields.status" disableSort>
      <StatusCell />
    </DataTable.Col>
  );
  return (
    <DataTable<Row> rowClick={false} bulkActionButtons={false} data-testid="webhook-table">
      <DataTable.Col source="url" disableSort>
        <UrlCell />
      </DataTable.Col>
      {narrow ? status : null}
      {narrow ? actions : null}
      <DataTable.Col source="apiKeyName" disableSort />
      <DataTable.Col source="eventTypes" disableSort>
        <TypesCell />
      </DataTable.Col>
      {narrow ? null : status}
      {narrow ? null : (
        <DataTable.Col source="lastSuccessAt" disableSort>
          <DateTimeField source="lastSuccessAt" />
        </DataTable.Col>
      )}
      {narrow ? null : actions}
    </DataTable>
  );
}

/** Every key's webhooks (admins): where each key's events go, and whether they arrive. */
export function WebhookList() {
  return (
    <List<Row>
      perPage={25}
      exporter={false}
      empty={<Empty />}
      actions={
        <TopToolbar>
          <CreateButton />
        </TopToolbar>
      }
      sx={{ '& .RaDataTable-tableWrapper': { overflowX: 'auto' } }}
    >
      <WebhookTable />
    </List>
  );
}

export default WebhookList;
