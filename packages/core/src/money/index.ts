export * from './currencies.js';
export * from './decimal.js';
export * from './minor-units.js';
export * from './webhook-amount.js';
