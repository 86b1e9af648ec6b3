// Writes the OpenAPI document without a database, Redis or a listening server: Nest's preview
// mode reads the controllers' metadata without instantiating any provider. Used by `npm test`
// (lint, snapshot check) and `npm run -w apps/web gen:api -- --from-build`.
//   node apps/api/dist/openapi/openapi-export.js [FILE]   (standard output without FILE)
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@switchyard/core/config';
import { AppModule } from '../app.module.js';
import { createOpenApiDocument } from './openapi-document.js';

// the defaults: no provider is built, so nothing connects anywhere
const app = await NestFactory.create(AppModule.forRoot(loadConfig({})), { preview: true, logger: false });
const text = JSON.stringify(createOpenApiDocument(app), null, 2) + '\n';
await app.close();
const file = process.argv[2];
if (file) writeFileSync(file, text);
else process.stdout.write(text);
