import Call from '@mui/icons-material/Call';
import Email from '@mui/icons-material/Email';
import Event from '@mui/icons-material/Event';
import KeyboardArrowDown from '@mui/icons-material/KeyboardArrowDown';
import KeyboardArrowRight from '@mui/icons-material/KeyboardArrowRight';
import Place from '@mui/icons-material/Place';
import Support from '@mui/icons-material/Support';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import Grid from '@mui/material/Grid';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Fragment, useState, type ReactNode } from 'react';
import { Link, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { InteractionKind } from '../../../schema/generated/graphql';
import { DateTimeText, EnumText } from '../common/fields';
import { formatMoney, formatPercent, regionName } from '../common/format';
import { EmptyState } from '../common/states';
import { balanceDue } from '../orders/orderTotals';
import type { Customer360 } from './customer360';
import { OrderLinesTable } from '../orders/OrderLinesTable';

function Labeled({ label, children }: { label: string; children: ReactNode }) {
  const translate = useTranslate();
  return (
    <Box sx={{ mb: 1.5 }}>
      <Typography variant="caption" color="text.secondary" component="div">
        {translate(label)}
      </Typography>
      <Typography variant="body2" component="div" sx={{ wordBreak: 'break-word' }}>
        {children === null || children === undefined || children === '' ? '—' : children}
      </Typography>
    </Box>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const translate = useTranslate();
  return (
    <Grid size={{ xs: 12, md: 4 }}>
      <Typography variant="subtitle2" sx={{ mb: 1 }}>
        {translate(title)}
      </Typography>
      {children}
    </Grid>
  );
}

export function ProfileTab() {
  const record = useRecordContext<Customer360>();
  const [locale] = useLocaleState();
  if (!record) return null;
  const f = (name: string) => `resources.customers.fields.${name}`;
  const address = record.address;
  return (
    <Grid container spacing={3}>
      <Section title="resources.customers.sections.basic">
        <Labeled label={f('legalName')}>{record.legalName}</Labeled>
        <Labeled label={f('registrationId')}>{record.registrationId}</Labeled>
        <Labeled label={f('industry')}>{record.industry}</Labeled>
        <Labeled label={f('products')}>{record.products}</Labeled>
        <Labeled label={f('websiteDomain')}>{record.websiteDomain}</Labeled>
        <Labeled label={f('regionId')}>{regionName(record.region, locale)}</Labeled>
        <Labeled label={f('territory')}>{regionName(record.territory, locale)}</Labeled>
        <Labeled label={f('owner')}>{record.owner?.name}</Labeled>
      </Section>
      <Section title="resources.customers.sections.classification">
        <Labeled label={f('lifecycleStage')}>
          <EnumText type="LifecycleStage" value={record.lifecycleStage} />
        </Labeled>
        <Labeled label={f('relationshipLevel')}>
          <EnumText type="RelationshipLevel" value={record.relationshipLevel} />
        </Labeled>
        <Labeled label={f('creditStanding')}>
          <EnumText type="CreditStanding" value={record.creditStanding} />
        </Labeled>
        <Labeled label={f('industryStanding')}>
          <EnumText type="IndustryStanding" value={record.industryStanding} />
        </Labeled>
        <Labeled label={f('sizeBand')}>
          <EnumText type="SizeBand" value={record.sizeBand} />
        </Labeled>
        <Labeled label={f('ownershipType')}>
          <EnumText type="OwnershipType" value={record.ownershipType} />
        </Labeled>
        <Labeled label={f('sourceChannel')}>
          <EnumText type="Channel" value={record.sourceChannel} />
        </Labeled>
        <Labeled label={f('tags')}>
          {record.tags?.length ? record.tags.map((tag) => <Chip key={tag} size="small" label={tag} sx={{ mr: 0.5 }} />) : null}
        </Labeled>
      </Section>
      <Section title="resources.customers.sections.address">
        <Labeled label={f('addressLine')}>{address?.line}</Labeled>
        <Labeled label={f('city')}>{address?.city}</Labeled>
        <Labeled label={f('province')}>{address?.province}</Labeled>
        <Labeled label={f('postalCode')}>{address?.postalCode}</Labeled>
        <Labeled label={f('country')}>{address?.country}</Labeled>
        <Labeled label={f('notes')}>
          <span style={{ whiteSpace: 'pre-wrap' }}>{record.notes}</span>
        </Labeled>
        <Labeled label={f('createdAt')}>
          <DateTimeText value={record.createdAt} />
        </Labeled>
        <Labeled label={f('updatedAt')}>
          <DateTimeText value={record.updatedAt} />
        </Labeled>
      </Section>
    </Grid>
  );
}

function HeadCells({ resource, fields }: { resource: string; fields: string[] }) {
  const translate = useTranslate();
  return (
    <TableHead>
      <TableRow>
        {fields.map((field) => (
          <TableCell key={field}>{field ? translate(`resources.${resource}.fields.${field}`) : null}</TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
}

export function ContactsTab() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  const contacts = record?.contacts ?? [];
  if (!contacts.length) return <EmptyState message={translate('resources.customers.empty.contacts')} />;
  return (
    <TableContainer>
      <Table size="small">
        <HeadCells resource="contacts" fields={['name', 'title', 'decisionRole', 'mobile', 'email', 'imHandles', 'preferredChannel']} />
        <TableBody>
          {contacts.map((contact) => (
            <TableRow key={contact.id} hover>
              <TableCell>
                <Link to={`/contacts/${contact.id}`}>{contact.name}</Link>
              </TableCell>
              <TableCell>{contact.title ?? '—'}</TableCell>
              <TableCell>
                <EnumText type="DecisionRole" value={contact.decisionRole} />
              </TableCell>
              <TableCell>{contact.mobile ?? contact.phone ?? '—'}</TableCell>
              <TableCell>{contact.email ?? '—'}</TableCell>
              <TableCell>
                {contact.imHandles?.length ? contact.imHandles.map((h) => `${h.network}: ${h.handle}`).join(', ') : '—'}
              </TableCell>
              <TableCell>
                <EnumText type="Channel" value={contact.preferredChannel} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

const KIND_ICONS: Partial<Record<InteractionKind, ReactNode>> = {
  VISIT: <Place fontSize="small" />,
  CALL: <Call fontSize="small" />,
  EMAIL: <Email fontSize="small" />,
  MEETING: <Event fontSize="small" />,
  DEMO: <Event fontSize="small" />,
};

export function TimelineTab() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  const interactions = record?.interactions?.edges.map((edge) => edge.node) ?? [];
  if (!record || !interactions.length) return <EmptyState message={translate('resources.customers.empty.interactions')} />;
  const total = record.interactions?.totalCount ?? interactions.length;
  return (
    <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }} aria-label={translate('resources.customers.tabs.interactions')}>
      {interactions.map((interaction) => (
        <Box component="li" key={interaction.id} sx={{ display: 'flex', gap: 2, pb: 2, position: 'relative' }}>
          <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center' }}>
            <Box
              sx={{
                width: 32,
                height: 32,
                borderRadius: '50%',
                bgcolor: 'primary.main',
                color: 'primary.contrastText',
                display: 'flex',
                alignItems: 'center',
                justifyContent: 'center',
              }}
            >
              {KIND_ICONS[interaction.kind] ?? <Support fontSize="small" />}
            </Box>
            <Box sx={{ flex: 1, width: 2, bgcolor: 'divider', mt: 0.5 }} />
          </Box>
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <Typography variant="body2" color="text.secondary">
              <DateTimeText value={interaction.occurredAt} /> · <EnumText type="InteractionKind" value={interaction.kind} /> ·{' '}
              <EnumText type="Channel" value={interaction.channel} /> · {interaction.author.name}
              {interaction.contact ? ` → ${interaction.contact.name}` : ''}
            </Typography>
            <Typography variant="body1">
              <Link to={`/interactions/${interaction.id}`}>{interaction.summary}</Link>
            </Typography>
            {interaction.outcome ? (
              <Typography variant="body2">
                {translate('resources.interactions.fields.outcome')}: {interaction.outcome}
              </Typography>
            ) : null}
            {interaction.nextStep ? (
              <Typography variant="body2">
                {translate('resources.interactions.fields.nextStep')}: {interaction.nextStep}
                {interaction.followUpOn ? ' (' : ''}
                {interaction.followUpOn ? <DateTimeText value={interaction.followUpOn} withTime={false} /> : null}
                {interaction.followUpOn ? ')' : ''}
              </Typography>
            ) : null}
          </Box>
        </Box>
      ))}
      {total > interactions.length ? (
        <Link to={{ pathname: '/interactions', search: `?filter=${encodeURIComponent(JSON.stringify({ customerId: record.id }))}` }}>
          {translate('resources.customers.actions.allInteractions', { count: total })}
        </Link>
      ) : null}
    </Box>
  );
}

type OrderNode = NonNullable<Customer360['orders']>['edges'][number]['node'];

function OrderRow({ order }: { order: OrderNode }) {
  const [open, setOpen] = useState(false);
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const money = (amount: string | null) => formatMoney(amount, order.currency, locale);
  return (
    <Fragment>
      <TableRow hover>
        <TableCell padding="checkbox">
          <IconButton size="small" aria-label={translate('ra.action.expand')} aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? <KeyboardArrowDown /> : <KeyboardArrowRight />}
          </IconButton>
        </TableCell>
        <TableCell>
          <Link to={`/orders/${order.id}/show`}>{order.number}</Link>
        </TableCell>
        <TableCell>
          <EnumText type="OrderStatus" value={order.status} />
        </TableCell>
        <TableCell>
          <DateTimeText value={order.orderedAt} withTime={false} />
        </TableCell>
        <TableCell align="right">{money(order.total)}</TableCell>
        <TableCell align="right">{money(order.amountPaid)}</TableCell>
        <TableCell align="right">{money(balanceDue(order))}</TableCell>
      </TableRow>
      <TableRow>
        <TableCell colSpan={7} sx={{ py: 0, borderBottom: open ? undefined : 'none' }}>
          <Collapse in={open} unmountOnExit>
            <Box sx={{ py: 1, display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '2fr 1fr' } }}>
              <OrderLinesTable lines={order.lines} currency={order.currency} />
              <Table size="small" aria-label={translate('resources.orders.fields.payments')}>
                <HeadCells resource="orders" fields={['amount', 'dueDate', 'paidAt']} />
                <TableBody>
                  {order.payments.length ? (
                    order.payments.map((payment) => (
                      <TableRow key={payment.id}>
                        <TableCell align="right">{money(payment.amount)}</TableCell>
                        <TableCell>
                          <DateTimeText value={payment.dueDate} withTime={false} />
                        </TableCell>
                        <TableCell>
                          <DateTimeText value={payment.paidAt} withTime={false} />
                        </TableCell>
                      </TableRow>
                    ))
                  ) : (
                    <TableRow>
                      <TableCell colSpan={3}>{translate('resources.orders.payments.none')}</TableCell>
                    </TableRow>
                  )}
                </TableBody>
              </Table>
            </Box>
          </Collapse>
        </TableCell>
      </TableRow>
    </Fragment>
  );
}

export function OrdersTab() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  const orders = record?.orders?.edges.map((edge) => edge.node) ?? [];
  if (!record || !orders.length) return <EmptyState message={translate('resources.customers.empty.orders')} />;
  return (
    <>
      <TableContainer component={Paper} variant="outlined">
        <Table size="small">
          <HeadCells resource="orders" fields={['', 'number', 'status', 'orderedAt', 'total', 'amountPaid', 'balance']} />
          <TableBody>
            {orders.map((order) => (
              <OrderRow key={order.id} order={order} />
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {(record.orders?.totalCount ?? 0) > orders.length ? (
        <Box sx={{ mt: 1 }}>
          <Link to={{ pathname: '/orders', search: `?filter=${encodeURIComponent(JSON.stringify({ customerId: record.id }))}` }}>
            {translate('resources.customers.actions.allOrders', { count: record.orders?.totalCount ?? 0 })}
          </Link>
        </Box>
      ) : null}
    </>
  );
}

export function EvaluationsTab() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const evaluations = record?.evaluations ?? [];
  if (!evaluations.length) return <EmptyState message={translate('resources.customers.empty.evaluations')} />;
  const t = (name: string) => translate(`resources.customers.evaluation.${name}`);
  return (
    <TableContainer>
      <Table size="small">
        <TableHead>
          <TableRow>
            {[
              'cycle',
              'period',
              'status',
              'grade',
              'score',
              'purchaseCount',
              'purchaseAmount',
              'amountPaid',
              'onTimeShare',
              'averageDaysLate',
              'contribution',
            ].map((name) => (
              <TableCell key={name}>{t(name)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {evaluations.map((evaluation) => (
            <TableRow key={evaluation.id}>
              <TableCell>{evaluation.cycle.name}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {evaluation.cycle.periodStart} – {evaluation.cycle.periodEnd}
              </TableCell>
              <TableCell>
                <EnumText type="CycleStatus" value={evaluation.cycle.status} />
              </TableCell>
              <TableCell>{evaluation.grade ? <Chip size="small" color="primary" label={evaluation.grade} /> : '—'}</TableCell>
              <TableCell>{evaluation.score ?? '—'}</TableCell>
              <TableCell>{evaluation.purchaseCount}</TableCell>
              <TableCell align="right">{formatMoney(evaluation.purchaseAmount, 'CNY', locale)}</TableCell>
              <TableCell align="right">{formatMoney(evaluation.amountPaid, 'CNY', locale)}</TableCell>
              <TableCell>{formatPercent(evaluation.onTimeShare, locale)}</TableCell>
              <TableCell>{evaluation.averageDaysLate ?? '—'}</TableCell>
              <TableCell>{formatPercent(evaluation.contribution, locale)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
