export { defineConfig, type TenderConfig } from './config/types.js';
export { main } from './main.js';
