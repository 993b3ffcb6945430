export * from './create-hmac-webhook.js';
