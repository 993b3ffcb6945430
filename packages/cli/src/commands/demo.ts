import { type Command, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { runDemo } from '../demo/run-demo.js';
import { toJson } from '../output.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run every provider end to end on an embedded PostgreSQL and print what happened',
  help: `Usage: tender demo [--database-url <url>] [--json]

Starts an embedded PostgreSQL (DATABASE_URL is ignored, so the demo is the same everywhere), the Stripe,
Easypay and Ifthenpay API emulators and the webhook route on 127.0.0.1; creates six checkouts across five
providers (system, Stripe, an HMAC gateway, Ifthenpay MB WAY and Multibanco, Easypay) and sends them real
signed webhooks over HTTP, including a forged and a tampered delivery, duplicates, an out-of-order pair and a
late failure. Prints a timeline and a summary, stops everything, and exits 1 if any checkout did not end
captured, for its amount, with exactly one order.

  --database-url <url>    use this PostgreSQL instead of the embedded one

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    const { values } = parseCommandArgs(argv, {});
    const started = Date.now();
    const result = await runDemo({
      databaseUrl: values['database-url'],
      out: ctx.out,
      json: values.json,
      verbose: ctx.verbose,
    });
    // Measured here, after runDemo has stopped everything, so it is the whole run.
    const tenths = Math.round((Date.now() - started) / 100);
    const seconds = `${Math.floor(tenths / 10)}.${tenths % 10}`;
    if (values.json) {
      ctx.out.line(toJson({ ok: result.summary.problems.length === 0, ...result }));
    } else {
      ctx.out.line(`\nDemo finished in ${seconds}s; servers, emulators and database stopped.`);
    }
    return result.summary.problems.length === 0 ? 0 : 1;
  },
};
