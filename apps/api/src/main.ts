import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig, type AppConfig } from '@switchyard/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { setupOpenApi } from './openapi.js';

let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`switchyard-api: ${err.message}\n`);
  process.exit(1);
}

const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
  bufferLogs: true,
  bodyParser: false,
});
app.useLogger(app.get(Logger));
app.useBodyParser('json', { limit: config.http.bodyLimitBytes });
app.disable('x-powered-by');
app.set('trust proxy', 'loopback');
app.useGlobalPipes(createValidationPipe());
app.useGlobalFilters(new AllExceptionsFilter());
app.enableShutdownHooks();
setupOpenApi(app);
await app.listen(config.port, config.host);
app
  .get(Logger)
  .log(
    `Switchyard API listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`,
  );
