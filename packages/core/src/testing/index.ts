export * from './deliver.js';
export * from './local-server.js';
export * from './rejection.js';
export * from './until.js';
