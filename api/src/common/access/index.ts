/**
 * The permission vocabulary: who a principal is (role, API-key kind, scopes), the viewer of a
 * request, and the reach it has. Dependency-free by rule (eslint.config.js): it imports nothing
 * from the project outside this folder, nor the ORM or type-graphql, so every layer may use it.
 * The GraphQL enums are registered where their types live (user.entity.ts, api-key.entity.ts).
 */
export { ApiKeyKind, Role, type PrincipalRole } from './role.js';
export { READ_SCOPES, Scope, WRITE_SCOPES } from './scope.js';
export { reachOf, TerritoryAccess, type Reach } from './reach.js';
export type { Viewer } from './viewer.js';
