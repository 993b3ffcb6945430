import type { MikroORM } from '@mikro-orm/postgresql';
import type { ProviderRegistry } from '../providers/registry.js';
import type { WorkflowDependencies } from './options.js';

/**
 * The parts of a payment module that are not its public surface: the ORM, the provider registry and what
 * the workflow is given. For this repository's tests (through `@tender/payment-module/testing`) and its CLI
 * (through `@tender/payment-module/internal`); a host uses the module's own members instead.
 */
export interface ModuleInternals {
  orm: MikroORM;
  registry: ProviderRegistry;
  workflowDependencies: WorkflowDependencies;
}

const internals = new WeakMap<object, ModuleInternals>();

export function attachInternals<T extends object>(module: T, parts: ModuleInternals): T {
  internals.set(module, parts);
  return module;
}

/** The internals of a module made by `createPaymentModule`. */
export function internalsOf(module: object): ModuleInternals {
  const parts = internals.get(module);
  if (!parts) throw new Error('internalsOf: not a module made by createPaymentModule.');
  return parts;
}
