import CUSTOMER_LIST from '../../schema/documents/admin/customer-list.graphql?raw';
import { customerListFirstPage } from './customers/customerListDefaults';
import { customerListPage } from './customers/listPage';
import { paintCustomerListEarly } from './customers/listPrePaint';
import { dashboardPage } from './dashboard/page';
import { sendEarly } from './providers/earlyRequest';
import { session, type Session } from './providers/session';
import { requestSignIn } from './providers/signIn';
import { mountSignInForm, storedLocale } from './signIn/signInForm';

/**
 * The page's entry, a few kilobytes: a signed-out tab gets the sign-in form at once, without
 * React or the console; a signed-in tab starts the console and, in the same breath, the chunk of
 * the page it opens on, so the two download side by side instead of one after the other.
 */
const root = document.getElementById('root')!;
const loadConsole = () => import('./main');
const startConsole = () => loadConsole().then(({ startConsole: start }) => start(root));

/**
 * The first page's own chunk (the resource's `lazy()` renders it at once when it has arrived)
 * and, for the customer list as it opens, its rows: the API answers while the chunks download,
 * and the list's first request takes that answer (earlyRequest.ts). The entry draws those rows
 * as soon as they are in (listPrePaint.ts); the console's list replaces them when it commits its own.
 */
function preloadPage(hash: string, signedIn: Session): void {
  if (/^#\/customers\/?(\?|$)/.test(hash)) {
    customerListPage.preload();
    if (/^#\/customers\/?$/.test(hash)) {
      const answer = sendEarly('AdminCustomers', CUSTOMER_LIST, customerListFirstPage, signedIn.token);
      void paintCustomerListEarly(answer, { locale: storedLocale(), role: signedIn.viewer?.role });
    }
  } else if (/^#?\/?$/.test(hash)) dashboardPage.preload();
}

const current = session.read();
if (current && !session.isExpired(current) && !window.location.hash.startsWith('#/login')) {
  preloadPage(window.location.hash, current);
  void startConsole();
} else {
  mountSignInForm(root, {
    // Typing takes a few seconds: enough to fetch the console, which signing in then finds ready.
    onFirstInput: () => void loadConsole(),
    async signIn(email, password) {
      const signedIn = await requestSignIn(email, password);
      session.save(signedIn);
      if (window.location.hash.startsWith('#/login')) window.history.replaceState(null, '', '#/');
      preloadPage(window.location.hash, signedIn);
      await startConsole();
    },
  });
}
