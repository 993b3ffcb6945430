export * from './abstract-provider.js';
export * from './credential-fields.js';
export * from './types.js';
export * from './webhook-payload.js';
