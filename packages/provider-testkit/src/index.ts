export * from './checks/interface.js';
export * from './checks/operations.js';
export * from './checks/options.js';
export * from './checks/trust.js';
export * from './checks/webhooks.js';
export * from './conformance-failure.js';
export type * from './fixtures.js';
export * from './run-provider-conformance.js';
export * from './webhook-request.js';
