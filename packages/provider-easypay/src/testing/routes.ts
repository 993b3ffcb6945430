import { jsonNumber, parseExactJson } from '@tender/core';
import type { EmulatorRequest, EmulatorResponse } from '@tender/core/testing';
import type { EasypayLedger, OperationKind } from './ledger.js';
import { operate } from './operations.js';
import { error, ok } from './replies.js';
import { createSingle, deleteSingle } from './singles.js';

const isOperation = (resource: string): resource is OperationKind =>
  resource === 'capture' || resource === 'void' || resource === 'refund';

/** A single payment or an operation as Easypay's details endpoints return it: the value as a number literal. */
function details(ledger: EasypayLedger, resource: string, id: string): EmulatorResponse {
  const found =
    resource === 'single' ? ledger.payments.get(id) : isOperation(resource) ? ledger.operations(resource).get(id) : undefined;
  if (!found) return error(404, `${resource} ${id} not found`);
  return ok(200, { ...found, value: jsonNumber(found.value) });
}

/** The Easypay 2.0 endpoints the provider uses, by method and `/resource/id` path. */
export function route(ledger: EasypayLedger, request: EmulatorRequest): EmulatorResponse {
  const [, resource, id] = request.path.split('/');
  if (request.method === 'GET') return details(ledger, resource, id);
  if (request.method === 'DELETE' && resource === 'single' && id) return deleteSingle(ledger, id);
  if (request.method !== 'POST') return error(404, '');
  let body: Record<string, unknown>;
  try {
    body = (parseExactJson(request.body || '{}', 'text') ?? {}) as Record<string, unknown>;
  } catch {
    return error(400, 'Invalid JSON body');
  }
  if (resource === 'single' && !id) return createSingle(ledger, body);
  if (isOperation(resource) && id) return operate(ledger, resource, id, body);
  return error(404, '');
}
