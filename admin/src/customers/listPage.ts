import { preloadable } from '../common/preloadable';

/** The customer list's chunk: boot.ts starts it for a tab that opens on the list, the resource renders it. */
export const customerListPage = preloadable(() => import('./CustomerList'));
