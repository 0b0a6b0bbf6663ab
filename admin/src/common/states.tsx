import ErrorOutline from '@mui/icons-material/ErrorOutlineOutlined';
import Inbox from '@mui/icons-material/Inbox';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';

export function LoadingState({ label }: { label?: string }) {
  const translate = useTranslate();
  return (
    <Box role="status" aria-live="polite" sx={{ display: 'flex', alignItems: 'center', gap: 2, p: 3, color: 'text.secondary' }}>
      <CircularProgress size={20} />
      <Typography variant="body2">{label ?? translate('app.state.loading')}</Typography>
    </Box>
  );
}

export function ErrorState({ error, onRetry }: { error?: unknown; onRetry?: () => void }) {
  const translate = useTranslate();
  const message = error instanceof Error ? error.message : undefined;
  return (
    <Box role="alert" sx={{ display: 'flex', alignItems: 'center', gap: 2, p: 3, color: 'error.main', flexWrap: 'wrap' }}>
      <ErrorOutline />
      <Typography variant="body2">
        {translate('app.state.error')}
        {message ? ` ${translate(message, { _: message })}` : ''}
      </Typography>
      {onRetry ? (
        <Button size="small" variant="outlined" onClick={onRetry}>
          {translate('app.state.retry')}
        </Button>
      ) : null}
    </Box>
  );
}

export function EmptyState({ message, action }: { message?: string; action?: ReactNode }) {
  const translate = useTranslate();
  return (
    <Box
      sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 1, p: 4, color: 'text.secondary', textAlign: 'center' }}
    >
      <Inbox fontSize="large" />
      <Typography variant="body2">{message ?? translate('app.state.empty')}</Typography>
      {action}
    </Box>
  );
}
