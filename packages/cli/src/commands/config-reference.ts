import { type Command, GLOBAL_HELP, parseCommandArgs } from '../command.js';
import { renderProviderOptionsReference } from '../docs/config-reference.js';

export const configReferenceCommand: Command = {
  name: 'config-reference',
  summary: "print every provider's options (markdown), generated from the providers' zod schemas",
  help: `Usage: tender config-reference

Prints the provider options reference of the README: each option's type and default, read from the zod
schema the provider validates its options with.

${GLOBAL_HELP}`,
  async run(argv, ctx) {
    parseCommandArgs(argv, {});
    ctx.out.line(renderProviderOptionsReference());
    return 0;
  },
};
