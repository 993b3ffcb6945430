/**
 * A deliberately small step runner: a step does one thing and may say how to undo it. When a step
 * fails, the steps before it are compensated in reverse order and the original error is rethrown
 * (with any compensation failures attached), so the caller's retry starts from a clean state.
 */
export interface Step<Input, Output> {
  name: string;
  invoke(input: Input): Promise<Output>;
  /** Undoes `invoke`; receives what invoke returned. */
  compensate?(output: Output, input: Input): Promise<void>;
}

export class StepFailedError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
    readonly compensated: string[],
    readonly compensationErrors: { step: string; error: unknown }[],
  ) {
    super(`Step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StepFailedError';
  }
}

export async function runSteps<Input>(input: Input, steps: Step<Input, unknown>[]): Promise<unknown[]> {
  const done: { step: Step<Input, unknown>; output: unknown }[] = [];
  for (const step of steps) {
    try {
      done.push({ step, output: await step.invoke(input) });
    } catch (error) {
      const compensated: string[] = [];
      const compensationErrors: { step: string; error: unknown }[] = [];
      for (const { step: previous, output } of done.reverse()) {
        if (!previous.compensate) continue;
        try {
          await previous.compensate(output, input);
          compensated.push(previous.name);
        } catch (compensationError) {
          compensationErrors.push({ step: previous.name, error: compensationError });
        }
      }
      throw new StepFailedError(step.name, error, compensated, compensationErrors);
    }
  }
  return done.map((d) => d.output);
}
