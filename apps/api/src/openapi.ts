import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI 3 at /api/openapi.json, browsable at /api/docs. */
export function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchyard API')
      .setDescription(
        'Hybrid-cloud application catalog and orchestrator. Every /api/v1 route needs a token: ' +
          '`Authorization: Bearer <token>` (or the token as the user name of HTTP Basic auth).',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer' })
      .addBasicAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
  });
}
