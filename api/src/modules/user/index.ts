export { UserService } from './user.service.js';
export { compiledMe } from './user.compiled.js';
export type { UserRow } from './user.rows.js';
