export * from './event-types.js';
export * from './hmac-provider.js';
export * from './options.js';
