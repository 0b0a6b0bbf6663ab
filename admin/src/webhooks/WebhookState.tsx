import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import type { AdminWebhookFragment } from '../../../schema/generated/graphql';
import { formatDateTime } from '../common/format';
import { StatusChip, type StatusTone } from '../common/rowActions';

type Webhook = Pick<AdminWebhookFragment, 'enabled' | 'disabledReason' | 'failingSince'>;

/** Delivering, failing (retrying) since a moment, or disabled and why. */
export function useWebhookStatus(): (webhook: Webhook) => { tone: StatusTone; label: string } {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (webhook) => {
    if (!webhook.enabled)
      return {
        tone: webhook.disabledReason === 'MANUAL' || !webhook.disabledReason ? 'default' : 'error',
        label: translate(`resources.webhooks.status.${webhook.disabledReason ?? 'disabled'}`, {
          _: translate('resources.webhooks.status.disabled'),
        }),
      };
    if (webhook.failingSince)
      return {
        tone: 'warning',
        label: translate('resources.webhooks.status.failing', { since: formatDateTime(webhook.failingSince, locale) }),
      };
    return { tone: 'success', label: translate('resources.webhooks.status.enabled') };
  };
}

export function WebhookStatusChip({ webhook }: { webhook: Webhook }) {
  const status = useWebhookStatus()(webhook);
  return <StatusChip tone={status.tone} label={status.label} testId="webhook-status" />;
}

/** The event types subscribed to, and the field filter if any. */
export function TypesCell() {
  const record = useRecordContext<AdminWebhookFragment>();
  if (!record) return null;
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, maxWidth: 320 }}>
      {record.eventTypes.map((type) => (
        <Chip key={type} size="small" variant="outlined" label={type} />
      ))}
      {record.fieldFilter.length ? <Typography variant="caption">({record.fieldFilter.join(', ')})</Typography> : null}
    </Box>
  );
}
