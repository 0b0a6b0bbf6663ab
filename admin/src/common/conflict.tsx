import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useCloseNotification, useNotify, useResourceContext, useTranslate } from 'react-admin';
import { isConflict } from '../providers/graphqlClient';

/** The notification for a stale save: the record changed on the server; reloading shows the change. */
export function ConflictNotification({ version, resource }: { version: number; resource?: string }) {
  const translate = useTranslate();
  const close = useCloseNotification();
  const queryClient = useQueryClient();
  const reload = () => {
    // Re-reading the record resets the form to the server's current version.
    void queryClient.invalidateQueries(resource ? { queryKey: [resource] } : undefined);
    close();
  };
  return (
    <Alert
      severity="warning"
      variant="filled"
      data-testid="conflict-notification"
      action={
        <Button color="inherit" size="small" onClick={reload}>
          {translate('app.conflict.reload')}
        </Button>
      }
      sx={{ maxWidth: 560 }}
    >
      {translate('app.conflict.message', { version })}
    </Alert>
  );
}

/**
 * onError for saves of versioned records: a CONFLICT offers to reload; anything else is
 * notified with the server's message (a validation error is also shown on its input).
 */
export function useSaveErrorHandler() {
  const notify = useNotify();
  const resource = useResourceContext();
  return useCallback(
    (error: unknown) => {
      if (isConflict(error)) {
        notify(<ConflictNotification version={error.extensions.currentVersion as number} resource={resource} />, {
          type: 'warning',
          autoHideDuration: null,
        });
        return;
      }
      const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'ra.notification.http_error';
      notify(message, { type: 'error', messageArgs: { _: message } });
    },
    [notify, resource],
  );
}
