import { migrateDatabase, openDatabase } from '@tender/payment-module';
import { type Command, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { loadConfig } from '../config/load-config.js';
import { CliError } from '../errors.js';
import { databaseUrlOf, NO_DATABASE_MESSAGE } from '../host/open-module.js';
import { toJson } from '../output.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: "apply Tender's pending database migrations",
  help: `Usage: tender migrate [--database-url <url>] [--json]

Applies every pending migration of the payment module (payment, webhook inbox and tenant tables) in one
transaction, and lists what it applied. Running it again applies nothing.

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    const { values } = parseCommandArgs(argv, {});
    const { config } = await loadConfig({ path: values.config, cwd: ctx.cwd });
    const url = databaseUrlOf(values, config);
    if (!url) throw new CliError(NO_DATABASE_MESSAGE);
    const orm = await openDatabase({ url });
    try {
      const applied = await migrateDatabase(orm);
      if (values.json) ctx.out.line(toJson({ applied }));
      else if (applied.length === 0) ctx.out.line('The database is up to date: no pending migrations.');
      else ctx.out.line(`Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}`);
      return 0;
    } finally {
      await orm.close(true);
    }
  },
};
