export { UserService } from './user.service.js';
export { compiledMe } from './user.compiled.js';
