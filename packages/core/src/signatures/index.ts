export * from './hmac.js';
export * from './standard-webhooks.js';
export * from './timestamped.js';
