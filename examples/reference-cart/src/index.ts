export * from './postgres-cart-store.js';
