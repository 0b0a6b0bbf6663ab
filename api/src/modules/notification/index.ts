export { pruneNotifications } from './notification.service.js';
