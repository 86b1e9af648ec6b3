import type { INestApplicationContext } from '@nestjs/common';

/**
 * SIGTERM / SIGINT close the app (running every shutdown hook) and exit 0; a second signal while
 * closing exits at once. Nest's own enableShutdownHooks re-raises the signal after closing, which
 * reports a clean stop as death by signal.
 */
export function closeOnSignals(app: INestApplicationContext, log: (msg: string) => void): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    log(`${signal}: shutting down`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
