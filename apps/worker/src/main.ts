import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, type AppConfig } from '@switchyard/core/config';
import { closeOnSignals } from '@switchyard/core/process';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`switchyard-worker: ${err.message}\n`);
  process.exit(1);
}

const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
app.useLogger(app.get(Logger));
await app.init();
// SIGTERM/SIGINT: stop taking jobs, finish or hand back the ones in flight, then exit
closeOnSignals(app, (msg) => app.get(Logger).log(msg));
