import { lazy, useState } from 'react';
import { Admin, Resource } from 'react-admin';
import { Layout } from './layout/Layout';
import { LoginPage } from './layout/LoginPage';
import { dashboardPage } from './dashboard/page';
import { LiveInboxContext } from './notifications/LiveInboxContext';
import { theme } from './layout/theme';
import { createProviders, type ConsoleProviders } from './providers';
import { resources } from './resources';

const Dashboard = lazy(dashboardPage.load);

/** The console: providers and resources; every page is a lazy chunk. */
export function App({ providers }: { providers?: ConsoleProviders }) {
  const [{ dataProvider, authProvider, i18nProvider, queryClient, live }] = useState(() => providers ?? createProviders());
  return (
    <LiveInboxContext.Provider value={live}>
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
        {resources.map(({ name, views }) => (views ? <Resource key={name} name={name} {...views} /> : null))}
      </Admin>
    </LiveInboxContext.Provider>
  );
}
