export { pruneNotifications } from './notification.service.js';
export { NOTIFICATION_CHANNEL } from './notification.live.js';
