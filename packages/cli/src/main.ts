import type { CommandContext } from './command.js';
import { GLOBAL_HELP } from './command.js';
import { COMMANDS } from './commands/index.js';
import { describeError, UsageError } from './errors.js';
import { type Output, stdio } from './output.js';

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `tender: the command line of Tender, the payment module with one webhook route.

Usage: tender <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`tender <command> --help\` for a command's options.

${GLOBAL_HELP}`;
}

/** Runs one command line; resolves to the exit code and never throws. */
export async function main(argv: string[], out: Output = stdio, cwd = process.cwd()): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      out.line(generalHelp());
      return name ? 0 : 2;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`Unknown command "${name}".`);
    if (rest.includes('--help') || rest.includes('-h')) {
      out.line(command.help);
      return 0;
    }
    const ctx: CommandContext = { out, verbose, cwd };
    return await command.run(rest, ctx);
  } catch (error) {
    const { message, exitCode } = describeError(error);
    out.error(`tender: ${message}`);
    if (verbose && error instanceof Error && error.stack) out.error(error.stack);
    return exitCode;
  }
}
