export * from './outbox-events.js';
export * from './query-plan.js';
export * from './test-database.js';
export * from './test-module.js';
export * from './webhook-path-sql.js';
