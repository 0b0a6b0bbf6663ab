export { pruneWebhookDeliveries, startWebhookWorker, type WebhookWorker } from './webhook.worker.js';
