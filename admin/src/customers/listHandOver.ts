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

/** Removes the pre-painted page, if any; the console's page, laid out alike, keeps where it was scrolled to. */
export function removeCustomerListPrePaint(): void {
  const page = document.getElementById(PRE_PAINT_ID);
  if (!page) return;
  const scrolled = page.scrollTop;
  page.dispatchEvent(new Event('prepaint:removed'));
  page.remove();
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
