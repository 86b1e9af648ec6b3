import 'reflect-metadata';
import cluster from 'node:cluster';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MAX_BLUEPRINT_BYTES } from '@switchyard/blueprints';
import { ConfigError, loadConfig, type AppConfig } from '@switchyard/core/config';
import { processLogger, requestLogging } from '@switchyard/core/logging';
import { closeOnSignals } from '@switchyard/core/process';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { processCount, superviseApiWorkers } from './cluster/api-cluster.js';
import { YAML_MEDIA_TYPES } from './blueprints/blueprint-upload.decorator.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { jsonBodyParser } from './common/json-body.parser.js';
import { largeBodyGate } from './common/large-body-gate.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { netmasterBodyParser } from './fabric/netmaster-body.parser.js';
import { setupOpenApi } from './openapi.js';
import { useSecurityHeaders } from './web/security-headers.js';
import { serveWebApp } from './web/web-app.util.js';

let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`switchyard-api: ${err.message}\n`);
  process.exit(1);
}

// API_PROCESSES > 1: this process only supervises; its workers (this same file) serve
const processes = processCount(config.http.apiProcesses);
if (processes > 1 && cluster.isPrimary) {
  const log = processLogger(config, 'switchyard-api');
  superviseApiWorkers(processes, (msg) => log.info(msg));
} else {
  await serve(config);
}

async function serve(config: AppConfig): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    // JSON parsers keep the raw bytes too: a JSON blueprint is hashed and checked for duplicate
    // keys on its text, which JSON.parse has already lost.
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  // first: every request gets its id and its log line, a refused one included
  app.use(requestLogging((await app.resolve(PinoLogger)).logger));
  // first, so that every answer carries them, a refused body (413) included
  useSecurityHeaders(app);
  // large bodies one at a time, so small requests (liveness first) keep their turns
  app.use(largeBodyGate());
  // JSON within JSON_LIMITS (depth, keys and items), checked on the raw bytes before parsing
  app.use(jsonBodyParser(config.http.bodyLimitBytes));
  app.use('/netmaster', netmasterBodyParser(config.http.bodyLimitBytes));
  // Blueprints as YAML. Over the limit, body-parser answers 413 from Content-Length (or stops
  // reading at the limit) without buffering the rest: 413 rather than 400 because the body may be
  // a fine blueprint that is only too big, and clients and proxies know 413 as "do not retry as is".
  app.useBodyParser('text', { type: YAML_MEDIA_TYPES, limit: MAX_BLUEPRINT_BYTES });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  setupOpenApi(app);
  const webApp = serveWebApp(app);
  await app.listen(config.port, config.host);
  closeOnSignals(app, (msg) => app.get(Logger).log(msg));
  app
    .get(Logger)
    .log(
      `Switchyard API listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}` +
        (webApp ? ' (web app at /)' : ' (web app not built: npm run build)'),
    );
}
