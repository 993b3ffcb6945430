export * from './amount.js';
export * from './callback.js';
export * from './ifthenpay-client.js';
export * from './ifthenpay-provider.js';
export * from './mbway-status.js';
export * from './options.js';
