import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createProviders } from './providers';

/** The console, started by boot.ts once there is a session (or to show a signed-out route). */
export function startConsole(root: HTMLElement): void {
  const providers = createProviders();
  createRoot(root).render(
    <StrictMode>
      <App providers={providers} />
    </StrictMode>,
  );
}
