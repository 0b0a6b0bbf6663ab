import { QueryClient } from '@tanstack/react-query';
import type { AuthProvider, I18nProvider } from 'react-admin';
import { apiKeyResource } from '../apiKeys/apiKeyResource';
import { auditResource } from '../audit/auditResource';
import { contactResource } from '../contacts/contactResource';
import { customerResource } from '../customers/customerResource';
import { evaluationCycleResource } from '../evaluations/evaluationCycleResource';
import { createI18nProvider } from '../i18n/i18nProvider';
import { interactionResource } from '../interactions/interactionResource';
import { orderResource, paymentResource } from '../orders/orderResource';
import { regionResource } from '../regions/regionResource';
import { stageChangeResource } from '../stageChanges/stageChangeResource';
import { transferResource } from '../transfers/transferResource';
import { userResource } from '../users/userResource';
import { createAuthProvider } from './authProvider';
import { createDataProvider, type ConsoleDataProvider } from './dataProvider';
import { createGraphQLClient } from './graphqlClient';
import type { ResourceAdapter } from './resource';
import { session } from './session';

/** Every resource the data provider serves; a new API feature adds its adapter here. */
export const resourceAdapters: Record<string, ResourceAdapter> = {
  customers: customerResource,
  contacts: contactResource,
  interactions: interactionResource,
  orders: orderResource,
  payments: paymentResource,
  regions: regionResource,
  users: userResource,
  transfers: transferResource,
  apiKeys: apiKeyResource,
  auditEvents: auditResource,
  evaluationCycles: evaluationCycleResource,
  stageChanges: stageChangeResource,
};

export interface ConsoleProviders {
  dataProvider: ConsoleDataProvider;
  authProvider: AuthProvider;
  i18nProvider: I18nProvider;
  queryClient: QueryClient;
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

export function createProviders(options: { url?: string; fetch?: typeof fetch } = {}): ConsoleProviders {
  const client = createGraphQLClient({ url: options.url, fetch: options.fetch, getToken: session.token });
  const dataProvider = createDataProvider(client, resourceAdapters);
  const authProvider = createAuthProvider(client, () => dataProvider.cursors.clear());
  return { dataProvider, authProvider, i18nProvider: createI18nProvider(), queryClient: createQueryClient() };
}
