export { pruneChanges } from './change.service.js';
// For webhooks, which read the feed as their API key (modules/webhook/webhook.worker.ts).
export { ChangeCursorExpiredError, ChangeService, encodeChangeCursor, ENTITY_SCOPES, type ChangeEventView } from './change.service.js';
export { ChangeEntity } from './change.types.js';
