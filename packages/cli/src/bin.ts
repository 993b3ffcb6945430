#!/usr/bin/env node
import { main } from './main.js';

// MikroORM 7 and exact JSON money (JSON.rawJSON) need Node 22.17+: say so plainly instead of failing deep inside.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major! < 22 || (major === 22 && minor! < 17)) {
  process.stderr.write(
    `tender: Node ${process.versions.node} is too old; Tender needs Node 22.17 or newer. In Tender's own repository, npx tender … uses the Node 22 it pins.\n`,
  );
  process.exit(1);
}

// Exit explicitly with the command's code, whatever a provider SDK or driver still holds open (a keep-alive
// agent, an idle pool timer). Writes to stdout/stderr are synchronous on files and pipes, so nothing
// printed is lost.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tender: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
