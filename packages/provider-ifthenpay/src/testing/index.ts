export * from './callback.js';
export * from './emulator.js';
