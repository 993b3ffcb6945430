export * from './cart-port.js';
export * from './connection-errors.js';
export * from './errors.js';
export * from './money/index.js';
export * from './provider/index.js';
export * from './signatures/index.js';
export * from './statuses.js';
export * from './webhook-receiver.js';
