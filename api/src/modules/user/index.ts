export { UserService } from './user.service.js';
