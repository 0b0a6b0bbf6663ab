import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { Link, useGetList, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { AdminAuditEventFragment } from '../../../schema/generated/graphql';
import { AuditChanges } from '../audit/AuditChanges';
import { AuditActionText } from '../audit/labels';
import { AuditNamesProvider } from '../audit/names';
import { STAGE_COLORS } from '../common/enums';
import { DateTimeText, EnumText } from '../common/fields';
import { regionName } from '../common/format';
import { EmptyState, ErrorState, LoadingState } from '../common/states';
import type { Customer360 } from './customer360';

function Head({ prefix, fields }: { prefix: string; fields: string[] }) {
  const translate = useTranslate();
  return (
    <TableHead>
      <TableRow>
        {fields.map((field) => (
          <TableCell key={field}>{translate(`${prefix}.${field}`)}</TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
}

/** Who owned the account, where, from when to when (oldest first), from the 360 request. */
export function OwnershipTab() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const periods = record?.ownershipHistory ?? [];
  if (!periods.length) return <EmptyState message={translate('resources.customers.empty.ownership')} />;
  return (
    <TableContainer>
      <Table size="small" aria-label={translate('resources.customers.tabs.ownership')}>
        <Head prefix="resources.customers.ownership" fields={['owner', 'territory', 'from', 'to', 'changedBy', 'reason']} />
        <TableBody>
          {[...periods].reverse().map((period) => (
            <TableRow key={period.id} hover>
              <TableCell>{period.owner.name}</TableCell>
              <TableCell>{regionName(period.territory, locale)}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                <DateTimeText value={period.validFrom} />
              </TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {period.validTo ? (
                  <DateTimeText value={period.validTo} />
                ) : (
                  <Chip size="small" color="primary" label={translate('resources.customers.ownership.current')} />
                )}
              </TableCell>
              <TableCell>{period.changedBy?.name ?? translate('resources.customers.ownership.system')}</TableCell>
              <TableCell>{period.reason ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** Every stage change with its trigger, who made it, who approved it and why (newest first). */
export function LifecycleTab() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  const transitions = record?.lifecycleHistory ?? [];
  if (!transitions.length) return <EmptyState message={translate('resources.customers.empty.lifecycle')} />;
  return (
    <TableContainer>
      <Table size="small" aria-label={translate('resources.customers.tabs.lifecycle')}>
        <Head prefix="resources.customers.lifecycle" fields={['at', 'from', 'to', 'trigger', 'actor', 'approver', 'reason']} />
        <TableBody>
          {[...transitions].reverse().map((transition) => (
            <TableRow key={transition.id} hover>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                <DateTimeText value={transition.at} />
              </TableCell>
              <TableCell>
                <EnumText type="LifecycleStage" value={transition.fromStage} />
              </TableCell>
              <TableCell>
                <Chip
                  size="small"
                  label={<EnumText type="LifecycleStage" value={transition.toStage} />}
                  sx={{ bgcolor: STAGE_COLORS[transition.toStage], color: '#fff' }}
                />
              </TableCell>
              <TableCell>
                <EnumText type="LifecycleTrigger" value={transition.trigger} />
              </TableCell>
              <TableCell>{transition.actor?.name ?? translate('resources.customers.ownership.system')}</TableCell>
              <TableCell>{transition.approver?.name ?? '—'}</TableCell>
              <TableCell>{transition.reason ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** The account's audit trail (admins and managers): its own request, when the tab opens. */
export function AuditTab() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  const { data, total, isPending, error, refetch } = useGetList<AdminAuditEventFragment>(
    'auditEvents',
    { filter: { entityId: record?.id }, pagination: { page: 1, perPage: 50 } },
    { enabled: Boolean(record?.id) },
  );
  if (isPending) return <LoadingState />;
  if (error) return <ErrorState error={error} onRetry={() => void refetch()} />;
  if (!data?.length) return <EmptyState message={translate('resources.customers.empty.audit')} />;
  return (
    <AuditNamesProvider events={data}>
      <TableContainer>
        <Table size="small" aria-label={translate('resources.customers.tabs.audit')}>
          <Head prefix="resources.auditEvents.fields" fields={['at', 'action', 'actor', 'reason', 'changes']} />
          <TableBody>
            {data.map((event) => (
              <TableRow key={event.id} hover sx={{ verticalAlign: 'top' }}>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  <DateTimeText value={event.at} />
                </TableCell>
                <TableCell>
                  <AuditActionText action={event.action} />
                </TableCell>
                <TableCell>{event.actorName ?? translate(`enums.ActorKind.${event.actorKind}`, { _: event.actorKind })}</TableCell>
                <TableCell>{event.reason ?? '—'}</TableCell>
                <TableCell>
                  <AuditChanges event={event} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {total !== undefined && total > data.length ? (
          <Box sx={{ p: 1 }}>
            <Link to={{ pathname: '/auditEvents', search: `?filter=${encodeURIComponent(JSON.stringify({ entityId: record!.id }))}` }}>
              {translate('resources.customers.audit.all', { count: total })}
            </Link>
          </Box>
        ) : null}
      </TableContainer>
    </AuditNamesProvider>
  );
}
