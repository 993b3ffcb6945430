export * from './easypay-client.js';
export * from './easypay-provider.js';
export * from './gateway-amount.js';
export * from './gateway-key.js';
export * from './notification.js';
export * from './notification-auth.js';
export * from './options.js';
export * from './status.js';
