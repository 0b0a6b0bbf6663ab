import { preloadable } from '../common/preloadable';

/** The dashboard's chunk: boot.ts starts it for a tab that opens on the home page, App renders it. */
export const dashboardPage = preloadable(() => import('./Dashboard'));
