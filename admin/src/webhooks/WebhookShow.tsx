import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import { ListButton, Show, TopToolbar, useRecordContext, useRedirect, useShowContext, useTranslate } from 'react-admin';
import type { AdminWebhookFragment } from '../../../schema/generated/graphql';
import { DateTimeText } from '../common/fields';
import { ErrorState, LoadingState } from '../common/states';
import { DeliveryChart } from './DeliveryChart';
import { DeliveryLog } from './DeliveryLog';
import { DeleteWebhookButton, RotateSecretButton, ToggleWebhookButton } from './WebhookActions';
import { TypesCell, WebhookStatusChip } from './WebhookState';

type Webhook = AdminWebhookFragment;

function Title() {
  const record = useRecordContext<Webhook>();
  const translate = useTranslate();
  return <>{record ? translate('resources.webhooks.show.title', { url: record.url }) : ''}</>;
}

function Actions() {
  const redirect = useRedirect();
  return (
    <TopToolbar sx={{ flexWrap: 'wrap', gap: 1 }}>
      <ListButton />
      <ToggleWebhookButton variant="outlined" />
      <RotateSecretButton variant="outlined" />
      <DeleteWebhookButton variant="outlined" onDeleted={() => redirect('list', 'webhooks')} />
    </TopToolbar>
  );
}

/** Term and value pairs, two columns that wrap on a narrow card. */
function Facts({ rows, testId }: { rows: [string, ReactNode][]; testId: string }) {
  const translate = useTranslate();
  return (
    <Box
      component="dl"
      data-testid={testId}
      sx={{ display: 'grid', gridTemplateColumns: 'minmax(120px, auto) 1fr', columnGap: 2, rowGap: 1, m: 0, alignItems: 'center' }}
    >
      {rows.map(([field, value]) => (
        <Box key={field} sx={{ display: 'contents', '& dd': { m: 0, minWidth: 0, overflowWrap: 'anywhere' } }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {translate(`resources.webhooks.fields.${field}`)}
          </Typography>
          <Typography component="dd" variant="body2">
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** Whether it delivers; if not, why and what to do; when it last delivered; what it subscribes to. */
function StateCard({ webhook }: { webhook: Webhook }) {
  const translate = useTranslate();
  // Whether the previous secret still signs: as of when the page opened.
  const [now] = useState(() => Date.now());
  const state: [string, ReactNode][] = [['status', <WebhookStatusChip key="status" webhook={webhook} />]];
  if (!webhook.enabled) state.push(['disabledAt', <DateTimeText key="at" value={webhook.disabledAt} />]);
  if (webhook.failingSince) state.push(['failingSince', <DateTimeText key="since" value={webhook.failingSince} />]);
  state.push(['lastSuccessAt', <DateTimeText key="last" value={webhook.lastSuccessAt} />]);
  const subscription: [string, ReactNode][] = [
    ['apiKeyName', webhook.apiKeyName],
    [
      'url',
      <Box key="url" component="code" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
        {webhook.url}
      </Box>,
    ],
    ['eventTypes', <TypesCell key="types" />],
    ['description', webhook.description || translate('app.empty')],
    ['createdAt', <DateTimeText key="created" value={webhook.createdAt} />],
    ['secretRotatedAt', <DateTimeText key="rotated" value={webhook.secretRotatedAt} />],
  ];
  if (webhook.previousSecretExpiresAt && Date.parse(webhook.previousSecretExpiresAt) > now)
    subscription.push(['previousSecretExpiresAt', <DateTimeText key="previous" value={webhook.previousSecretExpiresAt} />]);
  return (
    <Card sx={{ height: '100%' }} data-testid="webhook-state">
      <CardHeader title={translate('resources.webhooks.show.state')} slotProps={{ title: { variant: 'subtitle1' } }} />
      <CardContent sx={{ pt: 0, display: 'grid', gap: 2 }}>
        {!webhook.enabled ? (
          <Alert severity={webhook.disabledReason === 'MANUAL' ? 'info' : 'warning'} data-testid="webhook-disabled-reason">
            {translate(`resources.webhooks.reason.${webhook.disabledReason ?? 'unknown'}`, {
              _: translate('resources.webhooks.reason.unknown'),
            })}
          </Alert>
        ) : null}
        <Facts rows={state} testId="webhook-state-facts" />
        <Typography variant="subtitle2">{translate('resources.webhooks.show.subscription')}</Typography>
        <Facts rows={subscription} testId="webhook-subscription" />
      </CardContent>
    </Card>
  );
}

function WebhookPage() {
  const { record, isPending, error, refetch } = useShowContext<Webhook>();
  const translate = useTranslate();
  if (isPending) return <LoadingState />;
  if (error || !record) return <ErrorState error={error} onRetry={() => void refetch()} />;
  return (
    <Grid container spacing={2} sx={{ mt: 1 }}>
      <Grid size={{ xs: 12, md: 5 }}>
        <StateCard webhook={record} />
      </Grid>
      <Grid size={{ xs: 12, md: 7 }}>
        <DeliveryChart webhookId={record.id} />
      </Grid>
      <Grid size={12}>
        <Card data-testid="webhook-delivery-log" sx={{ minWidth: 0 }}>
          <CardHeader
            title={translate('resources.webhooks.deliveries.title')}
            subheader={translate('resources.webhooks.deliveries.help')}
            slotProps={{ title: { variant: 'subtitle1' }, subheader: { variant: 'caption' } }}
          />
          <CardContent sx={{ pt: 0 }}>
            <DeliveryLog webhook={record} />
          </CardContent>
        </Card>
      </Grid>
    </Grid>
  );
}

/** One webhook (admins): its state, a chart of recent attempts and the delivery log with redelivery. */
export function WebhookShow() {
  return (
    <Show<Webhook> title={<Title />} actions={<Actions />} component="div">
      <WebhookPage />
    </Show>
  );
}

export default WebhookShow;
