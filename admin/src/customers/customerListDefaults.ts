import type { SortPayload } from 'react-admin';

/** The customer list's first page; main.tsx asks for it early, so the two must agree. */
export const customerListDefaults: { sort: SortPayload; perPage: number } = { sort: { field: 'legalName', order: 'ASC' }, perPage: 25 };
