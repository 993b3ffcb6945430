import { EmulatedStripeError } from './emulated-error.js';
import type { FormObject, FormValue } from './form-body.js';

function missingParam(name: string): EmulatedStripeError {
  return EmulatedStripeError.invalidRequest(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
}

export function str(params: FormObject, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function requiredStr(params: FormObject, name: string): string {
  const value = str(params, name);
  if (!value) throw missingParam(name);
  return value;
}

export function positiveInteger(params: FormObject, name: string, required: boolean): number | undefined {
  const value = params[name];
  if (value === undefined) {
    if (required) throw missingParam(name);
    return undefined;
  }
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1) {
    throw EmulatedStripeError.invalidRequest(`Invalid positive integer`, { code: 'parameter_invalid_integer', param: name });
  }
  return Number(value);
}

export function metadataOf(value: FormValue | undefined): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export function stringList(value: FormValue | undefined): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** Rejects parameters the real API would reject as unknown, so a request the emulator accepts is one Stripe accepts. */
export function allowOnly(params: FormObject, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name) && name !== 'expand') {
      throw EmulatedStripeError.invalidRequest(`Received unknown parameter: ${name}`, { code: 'parameter_unknown', param: name });
    }
  }
}
