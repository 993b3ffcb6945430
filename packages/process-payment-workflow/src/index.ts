export { processPaymentWorkflow } from './process-payment-workflow.js';
export { runSteps, type Step, StepFailedError } from './step-runner.js';
export { STATUS_FOR_ACTION } from './steps/session-status-step.js';
export type * from './types.js';
