export * from './system-provider.js';
