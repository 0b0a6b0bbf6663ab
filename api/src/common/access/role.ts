/** What a console user is. */
export enum Role {
  ADMIN = 'ADMIN',
  MANAGER = 'MANAGER',
  REP = 'REP',
}

export enum ApiKeyKind {
  /** A third-party system: reads customer-360s, pushes interactions and orders. */
  INTEGRATOR = 'INTEGRATOR',
  /** A BI tool: read-only bulk pulls. */
  BI = 'BI',
}

/** What a principal is: a user's role, or an API key's kind. */
export type PrincipalRole = Role | ApiKeyKind;
