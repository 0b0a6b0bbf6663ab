import { QueryClient } from '@tanstack/react-query';
import type { AuthProvider, I18nProvider } from 'react-admin';
import { createI18nProvider } from '../i18n/i18nProvider';
import { createLiveInbox, liveUrl, type LiveInbox } from '../notifications/liveInbox';
import { resourceAdapters, resources } from '../resources';
import { seedAuthAnswers } from './authAnswers';
import { createAuthProvider } from './authProvider';
import { createDataProvider, type ConsoleDataProvider } from './dataProvider';
import { createGraphQLClient } from './graphqlClient';
import { session } from './session';

export interface ConsoleProviders {
  dataProvider: ConsoleDataProvider;
  authProvider: AuthProvider;
  i18nProvider: I18nProvider;
  queryClient: QueryClient;
  /** The bell's live inbox over WebSocket; null where there is none (the bell reads over HTTP). */
  live: LiveInbox | null;
}

/** A 4xx answer (signed out, forbidden, not found, conflict, bad input) does not change on retry. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => ((error as { status?: number })?.status ?? 500) >= 500 && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function createProviders(options: { url?: string; fetch?: typeof fetch; live?: LiveInbox | null } = {}): ConsoleProviders {
  const client = createGraphQLClient({ url: options.url, fetch: options.fetch, getToken: session.token });
  const dataProvider = createDataProvider(client, resourceAdapters());
  const authProvider = createAuthProvider(client, () => dataProvider.cursors.clear(), { url: options.url, fetch: options.fetch });
  const live =
    options.live !== undefined
      ? options.live
      : typeof WebSocket === 'undefined'
        ? null
        : createLiveInbox({ url: liveUrl(), getToken: session.token });
  const queryClient = createQueryClient();
  seedAuthAnswers(
    queryClient,
    resources.map(({ name }) => name),
  );
  return { dataProvider, authProvider, i18nProvider: createI18nProvider(), queryClient, live };
}
