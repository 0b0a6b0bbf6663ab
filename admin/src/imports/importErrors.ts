import { useCallback } from 'react';
import { useNotify } from 'react-admin';
import { GraphQLRequestError } from '../providers/graphqlClient';

/**
 * onError for the wizard's mutations: a CONFLICT means the import moved on (another tab, the
 * dry run finishing, a run started elsewhere), so the screen reloads it and says so; anything
 * else is worded from the server-error catalogue by code and field.
 */
export function useImportErrorHandler(onStale?: () => void) {
  const notify = useNotify();
  return useCallback(
    (error: unknown) => {
      if (error instanceof GraphQLRequestError && error.code === 'CONFLICT') {
        notify('resources.imports.errors.stale', { type: 'warning' });
        onStale?.();
        return;
      }
      const message = error instanceof Error ? error.message : 'ra.notification.http_error';
      notify(message, { type: 'error', messageArgs: { _: message } });
    },
    [notify, onStale],
  );
}
