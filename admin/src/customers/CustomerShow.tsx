import Add from '@mui/icons-material/Add';
import Archive from '@mui/icons-material/Archive';
import Unarchive from '@mui/icons-material/Unarchive';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMutation } from '@tanstack/react-query';
import {
  EditButton,
  Link,
  Show,
  TabbedShowLayout,
  TabbedShowLayoutTabs,
  TopToolbar,
  useCanAccess,
  useDataProvider,
  useGetIdentity,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useShowContext,
  useTranslate,
} from 'react-admin';
import { AdminArchiveCustomerDocument, AdminRestoreCustomerDocument } from '../../../schema/generated/graphql';
import { EnumText } from '../common/fields';
import { STAGE_COLORS } from '../common/enums';
import { regionName } from '../common/format';
import { ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { canEditCustomer, canReadCustomer } from './access';
import { ChangeStageButton } from '../stageChanges/ChangeStage';
import { RequestTransferButton } from '../transfers/RequestTransfer';
import { ContactsTab, EvaluationsTab, OrdersTab, ProfileTab, TimelineTab } from './Customer360Tabs';
import { AccessTab } from './AccessTab';
import { AuditTab, LifecycleTab, OwnershipTab } from './HistoryTabs';
import type { Customer360 } from './customer360';

function ArchiveToggle() {
  const record = useRecordContext<Customer360>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'customers', action: 'delete' });
  const archived = Boolean(record?.archivedAt);
  const mutation = useMutation({
    mutationFn: async () => {
      const variables = { id: record!.id, version: record!.version ?? 0 };
      if (archived) await dataProvider.execute(AdminRestoreCustomerDocument, variables, { affects: ['customers'] });
      else await dataProvider.execute(AdminArchiveCustomerDocument, variables, { affects: ['customers'] });
    },
    onSuccess: () => {
      notify(archived ? 'resources.customers.notifications.restored' : 'resources.customers.notifications.archived', { type: 'info' });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (!record || !canAccess || !canEditCustomer(record)) return null;
  return (
    <Button size="small" startIcon={archived ? <Unarchive /> : <Archive />} onClick={() => mutation.mutate()} disabled={mutation.isPending}>
      {translate(archived ? 'resources.customers.actions.restore' : 'resources.customers.actions.archive')}
    </Button>
  );
}

/**
 * A plain button, at every width: react-admin's CreateButton turns into a floating "+" on tablets,
 * and three of them would sit on the same spot.
 */
function CreateFor({ resource, label, state }: { resource: string; label: string; state: Record<string, unknown> }) {
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource, action: 'create' });
  if (!canAccess) return null;
  return (
    <Button component={Link} to={`/${resource}/create`} state={state} size="small" startIcon={<Add />}>
      {translate(label)}
    </Button>
  );
}

function CustomerActions() {
  const record = useRecordContext<Customer360>();
  const { identity } = useGetIdentity();
  // An account the viewer reads but does not own (a colleague's in their territory): ask for it.
  if (record && record.access === 'READ' && identity && record.owner?.id !== identity.id) {
    return (
      <TopToolbar>
        <RequestTransferButton customer={record} variant="outlined" />
      </TopToolbar>
    );
  }
  if (!record || !canEditCustomer(record)) return <TopToolbar />;
  const prefill = { record: { customerId: record.id } };
  return (
    <TopToolbar sx={{ flexWrap: 'wrap' }}>
      <CreateFor resource="interactions" label="resources.customers.actions.logVisit" state={prefill} />
      <CreateFor resource="orders" label="resources.customers.actions.newOrder" state={prefill} />
      <CreateFor resource="contacts" label="resources.customers.actions.newContact" state={prefill} />
      <ChangeStageButton customer={record} />
      <EditButton />
      <ArchiveToggle />
    </TopToolbar>
  );
}

function CustomerHeader() {
  const record = useRecordContext<Customer360>();
  const [locale] = useLocaleState();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Box sx={{ px: 2, pt: 2 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <Typography variant="h5" component="h1" data-testid="customer-name">
          {record.legalName}
        </Typography>
        {record.lifecycleStage ? (
          <Chip
            size="small"
            label={<EnumText type="LifecycleStage" value={record.lifecycleStage} />}
            sx={{ bgcolor: STAGE_COLORS[record.lifecycleStage], color: '#fff' }}
          />
        ) : null}
        {record.archivedAt ? <Chip size="small" label={translate('resources.customers.fields.archivedAt')} /> : null}
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
        {translate('resources.customers.fields.regionId')}: {regionName(record.region, locale)} ·{' '}
        {translate('resources.customers.fields.territory')}: {regionName(record.territory, locale)} ·{' '}
        {translate('resources.customers.fields.owner')}: {record.owner?.name}
      </Typography>
    </Box>
  );
}

function DirectoryCard() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  return (
    <Alert severity="info" sx={{ m: 2 }}>
      <AlertTitle>{translate('resources.customers.directory.title')}</AlertTitle>
      {translate('resources.customers.directory.message', { owner: record?.owner?.name ?? '' })}
      {record ? (
        <Box sx={{ mt: 1.5 }}>
          <RequestTransferButton customer={record} />
        </Box>
      ) : null}
    </Alert>
  );
}

/** Shown above every tab of an account the viewer may read but not change (a colleague's, with TERRITORY_ACCESS=READ). */
function ReadOnlyBanner() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  if (record?.access !== 'READ') return null;
  return (
    <Alert severity="warning" sx={{ mx: 2, mt: 2 }} data-testid="read-only-banner">
      <AlertTitle>{translate('resources.customers.readOnly.title')}</AlertTitle>
      {translate('resources.customers.readOnly.message', { owner: record.owner?.name ?? '' })}
    </Alert>
  );
}

function Customer360Layout() {
  const { record, isPending, error, refetch } = useShowContext<Customer360>();
  const { canAccess: canAudit } = useCanAccess({ resource: 'auditEvents', action: 'list' });
  // Explaining access for any user is for admins (the API explains others' access to them only).
  const { canAccess: canExplain } = useCanAccess({ resource: 'customers', action: 'explainAccess' });
  if (isPending) return <LoadingState />;
  if (error) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (!record) return null;
  return (
    <>
      <CustomerHeader />
      <ReadOnlyBanner />
      {!canReadCustomer(record) ? (
        <DirectoryCard />
      ) : (
        <TabbedShowLayout
          syncWithLocation
          tabs={<TabbedShowLayoutTabs variant="scrollable" scrollButtons="auto" allowScrollButtonsMobile />}
        >
          <TabbedShowLayout.Tab label="resources.customers.tabs.profile">
            <ProfileTab />
          </TabbedShowLayout.Tab>
          <TabbedShowLayout.Tab label="resources.customers.tabs.contacts" path="contacts" count={record.contacts?.length}>
            <ContactsTab />
          </TabbedShowLayout.Tab>
          <TabbedShowLayout.Tab label="resources.customers.tabs.interactions" path="timeline" count={record.interactions?.totalCount}>
            <TimelineTab />
          </TabbedShowLayout.Tab>
          <TabbedShowLayout.Tab label="resources.customers.tabs.orders" path="orders" count={record.orders?.totalCount}>
            <OrdersTab />
          </TabbedShowLayout.Tab>
          <TabbedShowLayout.Tab label="resources.customers.tabs.evaluations" path="evaluations" count={record.evaluations?.length}>
            <EvaluationsTab />
          </TabbedShowLayout.Tab>
          {/* Histories come with the 360 request; an older API without them leaves the field undefined. */}
          {record.ownershipHistory !== undefined ? (
            <TabbedShowLayout.Tab label="resources.customers.tabs.ownership" path="ownership" count={record.ownershipHistory?.length}>
              <OwnershipTab />
            </TabbedShowLayout.Tab>
          ) : null}
          {record.lifecycleHistory !== undefined ? (
            <TabbedShowLayout.Tab label="resources.customers.tabs.lifecycle" path="lifecycle" count={record.lifecycleHistory?.length}>
              <LifecycleTab />
            </TabbedShowLayout.Tab>
          ) : null}
          {canAudit ? (
            <TabbedShowLayout.Tab label="resources.customers.tabs.audit" path="audit">
              <AuditTab />
            </TabbedShowLayout.Tab>
          ) : null}
          {canExplain ? (
            <TabbedShowLayout.Tab label="resources.customers.tabs.access" path="access">
              <AccessTab />
            </TabbedShowLayout.Tab>
          ) : null}
        </TabbedShowLayout>
      )}
    </>
  );
}

/** The customer-360: everything about one account, in one request. */
export function CustomerShow() {
  return (
    <Show queryOptions={{ meta: { view: '360' } }} actions={<CustomerActions />} emptyWhileLoading={false}>
      <Customer360Layout />
    </Show>
  );
}

export default CustomerShow;
