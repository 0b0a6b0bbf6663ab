import { lazy, useState } from 'react';
import { Admin, Resource } from 'react-admin';
import { apiKeyViews } from './apiKeys';
import { auditViews } from './audit';
import { contactViews } from './contacts';
import { customerViews } from './customers';
import { evaluationCycleViews } from './evaluations';
import { interactionViews } from './interactions';
import { Layout } from './layout/Layout';
import { LoginPage } from './layout/LoginPage';
import { theme } from './layout/theme';
import { orderViews } from './orders';
import { createProviders, type ConsoleProviders } from './providers';
import { regionViews } from './regions';
import { lifecycleSettingsViews, stageChangeViews } from './stageChanges';
import { transferViews } from './transfers';
import { userViews } from './users';

const Dashboard = lazy(() => import('./dashboard/Dashboard'));

/** The console: providers and resources; every page is a lazy chunk. */
export function App({ providers }: { providers?: ConsoleProviders }) {
  const [{ dataProvider, authProvider, i18nProvider, queryClient }] = useState(() => providers ?? createProviders());
  return (
    <Admin
      title="Accountable"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      queryClient={queryClient}
      dashboard={Dashboard}
      loginPage={LoginPage}
      layout={Layout}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      <Resource name="customers" {...customerViews} />
      <Resource name="contacts" {...contactViews} />
      <Resource name="interactions" {...interactionViews} />
      <Resource name="orders" {...orderViews} />
      <Resource name="transfers" {...transferViews} />
      <Resource name="stageChanges" {...stageChangeViews} />
      <Resource name="evaluationCycles" {...evaluationCycleViews} />
      <Resource name="regions" {...regionViews} />
      <Resource name="users" {...userViews} />
      <Resource name="lifecycleSettings" {...lifecycleSettingsViews} />
      <Resource name="apiKeys" {...apiKeyViews} />
      <Resource name="auditEvents" {...auditViews} />
    </Admin>
  );
}
