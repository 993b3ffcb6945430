import { describeValue, wholeNumberOption } from '@tender/core';
import { z } from 'zod';

// Field checks shared by the module's option schemas (the module's own, the worker's, the claim loops').

/** An optional true/false option; `what` says what it switches. */
export const flagOption = (what: string) =>
  z.boolean({ error: (issue) => `must be true or false (${what}), got ${describeValue(issue.input)}` }).optional();

/** An optional duration, in whole milliseconds, at least `min`. */
export const millisecondsOption = (what: string, min = 0) =>
  wholeNumberOption(`a whole number of milliseconds (${what})`, min, ' ms');
