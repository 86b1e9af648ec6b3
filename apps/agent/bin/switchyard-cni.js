#!/usr/bin/env node
// `switchyard-cni` from the checkout (npm links it into node_modules/.bin). Runtimes exec plugins by
// absolute path with a PATH of their own, so install it with `install-cni.js` instead, which writes
// a launcher naming the pinned Node by its absolute path (see src/cni/README.md).
try {
  await import('../dist/cni/main.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cni/main.js')) {
    process.stdout.write(
      JSON.stringify({
        cniVersion: '1.1.0',
        code: 50,
        msg: 'switchyard-cni is not built: run `npm run build`',
      }) + '\n',
    );
    process.exit(1);
  }
  throw err;
}
