import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { customerListDefaults } from './customers/customerListDefaults';
import { createProviders } from './providers';
import { session } from './providers/session';

/** The console, started by boot.ts once there is a session (or to show a signed-out route). */
export function startConsole(root: HTMLElement): void {
  const providers = createProviders();
  const signedIn = session.read();
  // A fresh tab on the customer list: the rows are asked for now, while the list's code is still
  // loading, instead of after it (the list then finds its first page answered or on its way).
  if (signedIn && !session.isExpired(signedIn) && /^#\/customers\/?$/.test(window.location.hash)) {
    providers.dataProvider.prefetchList('customers', { page: 1, ...customerListDefaults, filter: {} });
  }
  createRoot(root).render(
    <StrictMode>
      <App providers={providers} />
    </StrictMode>,
  );
}
