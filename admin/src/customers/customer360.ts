import type { AdminCustomer360Query } from '../../../schema/generated/graphql';

/** The customer-360 record the show page loads in one request; its tabs read their part of it. */
export type Customer360 = NonNullable<AdminCustomer360Query['customer']>;
