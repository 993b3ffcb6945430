import { ConformanceFailure, conformanceAssert, describeError, isTenderError } from '../conformance-failure.js';
import type { ConformanceProviderClass, InvalidOptionsCase } from '../fixtures.js';

export function checkAcceptsValidOptions(providerClass: ConformanceProviderClass, options: unknown): void {
  let validated: unknown;
  try {
    validated = providerClass.validateOptions(options);
  } catch (error) {
    throw new ConformanceFailure(`validateOptions rejected fixtures.validOptions: ${describeError(error)}`, { cause: error });
  }
  conformanceAssert(
    validated !== null && typeof validated === 'object',
    'validateOptions must return the parsed options object (with defaults applied).',
  );
}

export function checkRejectsInvalidOptions(providerClass: ConformanceProviderClass, invalid: InvalidOptionsCase): void {
  let error: unknown;
  try {
    providerClass.validateOptions(invalid.options);
  } catch (caught) {
    error = caught;
  }
  conformanceAssert(error !== undefined, `validateOptions accepted options that should be invalid (${invalid.mentions}).`);
  conformanceAssert(
    isTenderError(error, 'invalid_data'),
    `validateOptions must throw TenderError('invalid_data', …), got ${describeError(error)}.`,
  );
  conformanceAssert(
    error.message.includes(invalid.mentions),
    `The validateOptions error must name "${invalid.mentions}" so the user knows what to fix; it said: ${error.message}`,
  );
}
