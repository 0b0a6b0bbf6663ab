import type { SortPayload } from 'react-admin';

/** The customer list's first page; CustomerList shows it and boot.ts asks for it early, so the two must agree. */
export const customerListDefaults: { sort: SortPayload; perPage: number } = { sort: { field: 'legalName', order: 'ASC' }, perPage: 25 };

/**
 * The variables of that page's request as the data provider builds them from the defaults (no
 * filter, legal name ascending, the first 25): the page's entry sends them before the data
 * provider has loaded. test/admin/dataProvider.test.tsx checks the two agree.
 */
export const customerListFirstPage = { orderBy: { field: 'LEGAL_NAME', direction: 'ASC' }, first: 25, after: null };
