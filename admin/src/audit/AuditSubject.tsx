import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { Link, useTranslate } from 'react-admin';
import type { AdminAuditEventFragment } from '../../../schema/generated/graphql';
import { useAuditNames, type AuditNames } from './names';

type Event = Pick<AdminAuditEventFragment, 'action' | 'entityType' | 'entityId' | 'before' | 'after'>;
type Translate = ReturnType<typeof useTranslate>;

function text(values: Record<string, unknown>[], key: string): string | undefined {
  for (const value of values) if (typeof value[key] === 'string' && value[key]) return value[key] as string;
  return undefined;
}

function number(values: Record<string, unknown>[], key: string): number | undefined {
  for (const value of values) if (typeof value[key] === 'number') return value[key] as number;
  return undefined;
}

/** What the event is about, by name: the account, the key, the webhook's address, how many accounts. */
export function subjectName(event: Event, names: AuditNames, translate: Translate): string | undefined {
  const values = [event.after, event.before].map((value) => (value ?? {}) as Record<string, unknown>);
  const id = event.entityId;
  switch (event.entityType) {
    case 'Customer':
      return id ? names.name('customer', id) : undefined;
    case 'TransferRequest': {
      const customerId = text(values, 'customerId');
      const name = customerId ? names.name('customer', customerId) : undefined;
      return name ? translate('resources.auditEvents.subject.transfer', { name }) : undefined;
    }
    case 'ApiKey':
      return text(values, 'name') ?? (id ? names.name('apiKey', id) : undefined);
    case 'Webhook': {
      const url = text(values, 'url');
      if (url) return url;
      const apiKeyId = text(values, 'apiKeyId');
      const key = apiKeyId ? names.name('apiKey', apiKeyId) : undefined;
      return key ? translate('resources.auditEvents.subject.webhookOf', { name: key }) : undefined;
    }
    default:
      break;
  }
  if (event.action === 'MUTATION_DENIED') {
    const code = text(values, 'code');
    return code ? translate(`resources.auditEvents.refusals.${code}`, { _: code }) : undefined;
  }
  const accounts = number(values, event.entityType === 'Realignment' ? 'moved' : 'count');
  return accounts === undefined ? undefined : translate('resources.auditEvents.subject.accounts', { smart_count: accounts });
}

/** The subject's kind, and its name (a link for an account); the id only when no name is known. */
export function AuditSubject({ event }: { event: Event }) {
  const translate = useTranslate();
  const names = useAuditNames();
  const kind = event.entityType ? translate(`enums.AuditEntityType.${event.entityType}`, { _: event.entityType }) : null;
  const name = subjectName(event, names, translate);
  const id = event.entityId;
  const label = name ?? (id ? `${id.slice(0, 8)}…` : null);
  if (!kind && !label) return <>—</>;
  return (
    <Box>
      {label ? (
        <Typography variant="body2" title={id ?? undefined} sx={name ? { wordBreak: 'break-word' } : { fontFamily: 'monospace' }}>
          {event.entityType === 'Customer' && id ? (
            <Link to={`/customers/${id}/show`} onClick={(click: { stopPropagation(): void }) => click.stopPropagation()}>
              {label}
            </Link>
          ) : (
            label
          )}
        </Typography>
      ) : null}
      {kind ? (
        <Typography variant="caption" color="text.secondary">
          {kind}
        </Typography>
      ) : null}
    </Box>
  );
}
