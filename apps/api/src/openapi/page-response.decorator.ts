import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/** A list's answer, `{items: [ITEM], nextCursor}` (api-conventions.md), in the OpenAPI document. */
export function ApiPageResponse(item: Type<unknown>, description?: string) {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      ...(description ? { description } : {}),
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: {
            type: 'string',
            nullable: true,
            description: 'Pass as ?cursor= for the next page; null on the last',
          },
        },
      },
    }),
  );
}
