/** What an API key may do. Users have no scopes; their role decides. */
export enum Scope {
  CUSTOMERS_READ = 'customers:read',
  CUSTOMERS_WRITE = 'customers:write',
  /** Bulk imports (docs/import.md): upload, dry run, run and revert imports into the key's territories. */
  CUSTOMERS_IMPORT = 'customers:import',
  CONTACTS_READ = 'contacts:read',
  CONTACTS_WRITE = 'contacts:write',
  PII_READ = 'pii:read',
  INTERACTIONS_READ = 'interactions:read',
  INTERACTIONS_WRITE = 'interactions:write',
  ORDERS_READ = 'orders:read',
  ORDERS_WRITE = 'orders:write',
  EVALUATIONS_READ = 'evaluations:read',
  /** Subscribe, change and delete the key's own webhooks, and read their delivery log. */
  WEBHOOKS_MANAGE = 'webhooks:manage',
  /** List duplicate candidates, merge accounts and undo merges, within the key's territories (changes need customers:write too). */
  CUSTOMERS_MERGE = 'customers:merge',
}

export const READ_SCOPES: readonly Scope[] = [
  Scope.CUSTOMERS_READ,
  Scope.CONTACTS_READ,
  Scope.PII_READ,
  Scope.INTERACTIONS_READ,
  Scope.ORDERS_READ,
  Scope.EVALUATIONS_READ,
];

export const WRITE_SCOPES = [
  Scope.CUSTOMERS_WRITE,
  Scope.CUSTOMERS_IMPORT,
  Scope.CONTACTS_WRITE,
  Scope.INTERACTIONS_WRITE,
  Scope.ORDERS_WRITE,
];
