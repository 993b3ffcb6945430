export * from './test-database.js';
export * from './test-module.js';
