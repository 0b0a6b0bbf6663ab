/**
 * Between the customer list's pre-paint (listPrePaint.ts, in the page's entry) and the console's
 * list: the list calls handOverCustomerListPrePaint when its own rows (or its error) commit, and
 * the pre-painted page goes, in the same frame.
 */

/** The pre-painted page's id (index.html styles it). */
export const PRE_PAINT_ID = 'customer-list-prepaint';
/** Set on <html> once the console's list has committed: an early answer arriving after that draws nothing. */
export const HANDED_OVER_ATTRIBUTE = 'data-customer-list-committed';
/** A performance mark when the console's list first commits its rows, beside the pre-paint's own. */
export const COMMITTED_MARK = 'customer-list-committed';

/** On #root while the pre-paint covers it: the attributes the pre-paint set there, and only those, go with it. */
const COVERED_ATTRIBUTE = 'data-covered-by-prepaint';

/**
 * While the pre-painted page covers the console's, the console's is hidden from screen readers
 * and out of the tab order (`aria-hidden`, `inert`): one page is there to read and to tab through.
 */
export function coverConsoleRoot(): void {
  const root = document.getElementById('root');
  if (!root || root.hasAttribute('aria-hidden') || root.hasAttribute('inert')) return;
  root.setAttribute('aria-hidden', 'true');
  root.setAttribute('inert', '');
  root.setAttribute(COVERED_ATTRIBUTE, '');
}

function uncoverConsoleRoot(): void {
  const root = document.getElementById('root');
  if (!root?.hasAttribute(COVERED_ATTRIBUTE)) return;
  root.removeAttribute('aria-hidden');
  root.removeAttribute('inert');
  root.removeAttribute(COVERED_ATTRIBUTE);
}

/** Removes the pre-painted page, if any; the console's page, laid out alike, keeps where it was scrolled to. */
export function removeCustomerListPrePaint(): void {
  const page = document.getElementById(PRE_PAINT_ID);
  if (!page) return;
  const scrolled = page.scrollTop;
  page.dispatchEvent(new Event('prepaint:removed'));
  page.remove();
  uncoverConsoleRoot();
  if (scrolled > 0) window.scrollTo(0, scrolled);
}

/** The console's list is up: the pre-paint goes and stays gone. */
export function handOverCustomerListPrePaint(): void {
  if (!document.documentElement.hasAttribute(HANDED_OVER_ATTRIBUTE)) {
    document.documentElement.setAttribute(HANDED_OVER_ATTRIBUTE, '');
    performance.mark(COMMITTED_MARK);
  }
  removeCustomerListPrePaint();
}
