export { UserService } from './user.service.js';
export type { UserRow } from './user.rows.js';
