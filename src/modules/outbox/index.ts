/**
 * The outbox: events written in the same transaction as the change, delivered by a worker (webhooks).
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { enqueue, startOutboxWorker } from './outbox.ts';
export { createWebhookSink } from './webhook-sink.ts';
