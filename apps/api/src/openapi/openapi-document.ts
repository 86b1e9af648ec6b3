import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { contivObjectSchemas } from './contiv-schemas.js';
import { applyApiConventions } from './openapi-conventions.js';
import { routeAuthByOperationId } from './route-auth.util.js';

/** The OpenAPI 3 document of the app's routes, as served at /api/openapi.json. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchyard API')
      .setDescription(
        'Hybrid-cloud application catalog and orchestrator. Every /api/v1 route needs a token: ' +
          '`Authorization: Bearer <token>` (or the token as the user name of HTTP Basic auth).',
      )
      .setVersion('1')
      .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer' })
      .addBasicAuth()
      .build(),
  );
  // the Contiv routes' bodies refer to these
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...contivObjectSchemas() },
  };
  return applyApiConventions(document, routeAuthByOperationId(app));
}
