import { Controller, Get, Header, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiExtraModels,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { BLUEPRINT_JSON_SCHEMA } from '@switchyard/blueprints';
import type { Request, Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { BlueprintFromPriceService } from './blueprint-from-price.service.js';
import { BlueprintNamePipe, VersionRefPipe } from './blueprint-params.pipe.js';
import { BlueprintPublishingService } from './blueprint-publishing.service.js';
import { BlueprintBody, YAML_MEDIA_TYPES, type BlueprintUpload } from './blueprint-upload.decorator.js';
import {
  BLUEPRINT_BODY_SCHEMA,
  BLUEPRINT_EXAMPLE_YAML,
  BlueprintDetailDto,
  BlueprintListQuery,
  BlueprintPageDto,
  BlueprintSummaryDto,
  BlueprintVersionDto,
} from './blueprints.dto.js';
import { BlueprintsService } from './blueprints.service.js';

const BAD_BLUEPRINT =
  'Every problem of the blueprint at once: details [{path, message, line?, column?}]; nothing is stored';

/** The catalog: push drafts, browse, read versions. Members read; pushing needs operator. */
@ApiTags('blueprints')
@ApiBearerAuth()
// the summary stays a named schema: clients type a blueprint by it (a list item adds `from`)
@ApiExtraModels(BlueprintSummaryDto)
@Controller('api/v1/blueprints')
export class BlueprintsController {
  constructor(
    @Inject(BlueprintsService) private readonly blueprints: BlueprintsService,
    @Inject(BlueprintFromPriceService) private readonly fromPrices: BlueprintFromPriceService,
    @Inject(BlueprintPublishingService) private readonly publishing: BlueprintPublishingService,
  ) {}

  // Declared before `:name` so that Express matches it first.
  @Get('schema.json')
  @Header('Cache-Control', 'max-age=300')
  @ApiOperation({ summary: 'The JSON Schema of the blueprint format, for editors' })
  @ApiOkResponse({ description: 'JSON Schema (draft 2020-12)', schema: { type: 'object' } })
  schema() {
    return BLUEPRINT_JSON_SCHEMA;
  }

  @Post()
  @RequireRole('operator')
  @ApiOperation({ summary: 'Push a blueprint: creates a draft version, or replaces the text of a draft' })
  @ApiConsumes(...YAML_MEDIA_TYPES, 'application/json')
  @ApiBody({
    description: 'The blueprint as YAML or JSON (see /api/v1/blueprints/schema.json)',
    schema: BLUEPRINT_BODY_SCHEMA,
  })
  @ApiCreatedResponse({ type: BlueprintVersionDto, description: 'A new version (Location names it)' })
  @ApiOkResponse({ type: BlueprintVersionDto, description: 'A draft replaced, or the same text again' })
  @ApiBadRequestResponse({ description: BAD_BLUEPRINT })
  @ApiConflictResponse({
    description: 'The version is published with other text, or the name has another kind',
  })
  @ApiPayloadTooLargeResponse({ description: 'Over MAX_BLUEPRINT_BYTES (512 KiB)' })
  async push(
    @Caller() caller: Principal,
    @BlueprintBody() upload: BlueprintUpload,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, version } = await this.publishing.push(caller, upload);
    res.status(created ? 201 : 200);
    if (created) res.location(`/api/v1/blueprints/${version.name}/versions/${version.version}`);
    return version;
  }

  @Get()
  @ApiOperation({ summary: "The caller's blueprints and the shared demo catalog, oldest first" })
  @ApiOkResponse({ type: BlueprintPageDto })
  list(@Caller() caller: Principal, @Query() query: BlueprintListQuery) {
    return this.fromPrices.list(caller, query);
  }

  @Get(':name')
  @ApiOperation({ summary: 'A blueprint with its versions' })
  @ApiOkResponse({ type: BlueprintDetailDto })
  @ApiNotFoundResponse({ description: "Unknown, or another tenant's" })
  get(@Caller() caller: Principal, @Param('name', BlueprintNamePipe) name: string) {
    return this.blueprints.get(caller, name);
  }

  @Get(':name/versions/:version')
  @ApiOperation({
    summary: 'The text of a version, YAML or JSON by Accept',
    description: '`version` is exact (any state), `latest`, or a range such as `^1.2` (highest published)',
  })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({
    description: 'The blueprint; ETag is the SHA-256 of the text as pushed',
    content: {
      'application/json': { schema: { type: 'object' } },
      'application/yaml': { schema: { type: 'string', example: BLUEPRINT_EXAMPLE_YAML } },
    },
  })
  @ApiNotFoundResponse({ description: 'No such version, or no published version matches' })
  async version(
    @Caller() caller: Principal,
    @Param('name', BlueprintNamePipe) name: string,
    @Param('version', VersionRefPipe) ref: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    // JSON unless the client prefers YAML (also for */* and no Accept at all).
    const format = req.accepts(['application/json', ...YAML_MEDIA_TYPES]);
    const text = await this.blueprints.text(
      caller,
      name,
      ref,
      format && format !== 'application/json' ? 'yaml' : 'json',
    );
    res.type(text.mediaType);
    res.setHeader('ETag', `"${text.version.sha256}"`);
    res.setHeader('X-Blueprint-Version', text.version.version);
    res.setHeader('X-Blueprint-State', text.version.state);
    res.setHeader('Vary', 'Accept');
    return text.body;
  }
}
