export * from './hmac.js';
export * from './secret-strength.js';
export * from './standard-webhooks.js';
export * from './timestamp-window.js';
export * from './timestamped.js';
