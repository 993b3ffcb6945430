export { deliverWebhook, type WebhookDelivery } from '@tender/core/testing';
export * from './emulator.js';
export * from './notification.js';
