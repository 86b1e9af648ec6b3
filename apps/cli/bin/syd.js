#!/usr/bin/env node
// Installed as `syd` by npm; the CLI itself is compiled to dist/ by `npm run build`.
try {
  await import('../dist/main.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/main.js')) {
    process.stderr.write('syd: the CLI is not built yet: run `npm run build` in the Switchyard checkout\n');
    process.exit(1);
  }
  throw err;
}
