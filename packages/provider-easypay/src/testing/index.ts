export * from './deliver.js';
export * from './emulator.js';
export * from './http-server.js';
export * from './notification.js';
