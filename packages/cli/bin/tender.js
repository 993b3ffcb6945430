#!/usr/bin/env node
// Committed rather than built, so `npm install` can link the `tender` command before anything is compiled.
import('../dist/bin.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bin.js')) {
    process.stderr.write('tender: the CLI is not built yet: run `npm run build` first.\n');
    process.exit(1);
  }
  throw error;
});
