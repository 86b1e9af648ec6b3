import { createParamDecorator, type ExecutionContext, type RawBodyRequest } from '@nestjs/common';
import type { BlueprintContentType } from '@switchyard/blueprints';
import type { Request } from 'express';
import { AppException, ErrorCode } from '../common/app.exception.js';

/** Media types read as YAML text (main.ts registers a text parser for them). */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/** A blueprint exactly as sent: the text (hashed and stored byte for byte) and its syntax. */
export interface BlueprintUpload {
  text: string;
  contentType: BlueprintContentType;
}

function readUpload(req: RawBodyRequest<Request>): BlueprintUpload | undefined {
  if (req.is(YAML_MEDIA_TYPES) && typeof req.body === 'string')
    return { text: req.body, contentType: 'yaml' };
  // JSON is parsed by the global parser; the library needs the raw text for duplicate keys and
  // line:column, so the JSON parser keeps it (rawBody in main.ts).
  if (req.is(['application/json', '+json']) && req.rawBody) {
    return { text: req.rawBody.toString('utf8'), contentType: 'json' };
  }
  return undefined;
}

/** The blueprint text of the request body; 415 for other media types, 400 when empty. */
export const BlueprintBody = createParamDecorator((_: unknown, ctx: ExecutionContext): BlueprintUpload => {
  const req = ctx.switchToHttp().getRequest<RawBodyRequest<Request>>();
  const upload = readUpload(req);
  if (upload === undefined) {
    throw new AppException(
      ErrorCode.UnsupportedMediaType,
      `Send the blueprint as application/yaml or application/json`,
    );
  }
  if (upload.text.trim() === '') throw AppException.invalid([{ path: '', message: 'the body is empty' }]);
  return upload;
});

/** Like BlueprintBody, but a request without a body gives undefined (publish takes either). */
export const OptionalBlueprintBody = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): BlueprintUpload | undefined => {
    const req = ctx.switchToHttp().getRequest<RawBodyRequest<Request>>();
    const length = Number(req.headers['content-length'] ?? 0);
    if (!req.headers['transfer-encoding'] && length === 0) return undefined;
    const upload = readUpload(req);
    if (upload === undefined) {
      throw new AppException(
        ErrorCode.UnsupportedMediaType,
        `Send the blueprint as application/yaml or application/json`,
      );
    }
    return upload;
  },
);
