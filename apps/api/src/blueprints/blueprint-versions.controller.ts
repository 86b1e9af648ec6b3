import { Body, Controller, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { BlueprintNamePipe, ExactVersionPipe, VersionRefPipe } from './blueprint-params.pipe.js';
import { PlanDto, PlanRequestDto } from './blueprint-plan.dto.js';
import { BlueprintPlanService } from './blueprint-plan.service.js';
import { BlueprintPublishingService } from './blueprint-publishing.service.js';
import {
  OptionalBlueprintBody,
  YAML_MEDIA_TYPES,
  type BlueprintUpload,
} from './blueprint-upload.decorator.js';
import { BLUEPRINT_BODY_SCHEMA, BlueprintVersionDto } from './blueprints.dto.js';

/** Version life cycle (publish, deprecate: operator) and planning (any member). */
@ApiTags('blueprints')
@ApiBearerAuth()
@Controller('api/v1/blueprints/:name/versions/:version')
export class BlueprintVersionsController {
  constructor(
    @Inject(BlueprintPublishingService) private readonly publishing: BlueprintPublishingService,
    @Inject(BlueprintPlanService) private readonly planner: BlueprintPlanService,
  ) {}

  @Post('publish')
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Freeze a version',
    description:
      'Without a body, publishes the draft. With a body (YAML or JSON), publishes that text: ' +
      'the same text again is a no-op, other text under a published version is 409.',
  })
  @ApiConsumes(...YAML_MEDIA_TYPES, 'application/json')
  @ApiBody({ required: false, schema: BLUEPRINT_BODY_SCHEMA })
  @ApiOkResponse({ type: BlueprintVersionDto, description: 'Published (or already published)' })
  @ApiCreatedResponse({ type: BlueprintVersionDto, description: 'Pushed and published at once' })
  @ApiConflictResponse({ description: 'Published with other text, deprecated, or no longer valid' })
  @ApiNotFoundResponse({ description: 'No such blueprint or version in your tenant' })
  async publish(
    @Caller() caller: Principal,
    @Param('name', BlueprintNamePipe) name: string,
    @Param('version', ExactVersionPipe) version: string,
    @OptionalBlueprintBody() upload: BlueprintUpload | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.publishing.publish(caller, name, version, upload);
    res.status(result.created ? 201 : 200);
    if (result.created) res.location(`/api/v1/blueprints/${name}/versions/${version}`);
    return result.version;
  }

  @Post('deprecate')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Hide a published version from new orders and from `latest` and ranges' })
  @ApiOkResponse({ type: BlueprintVersionDto })
  @ApiConflictResponse({ description: 'The version is a draft' })
  @ApiNotFoundResponse({ description: 'No such blueprint or version in your tenant' })
  async deprecate(
    @Caller() caller: Principal,
    @Param('name', BlueprintNamePipe) name: string,
    @Param('version', ExactVersionPipe) version: string,
  ) {
    return (await this.publishing.deprecate(caller, name, version)).version;
  }

  @Post('plan')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Plan a version for a placement: stages, instance types, images, exact costs, fabric',
    description: '`version` may be exact, `latest` or a range. Secret parameters come back as ********.',
  })
  @ApiOkResponse({ type: PlanDto })
  @ApiBadRequestResponse({ description: 'Bad parameters, placement or environments, each named by path' })
  @ApiNotFoundResponse({ description: "Unknown, or another tenant's" })
  plan(
    @Caller() caller: Principal,
    @Param('name', BlueprintNamePipe) name: string,
    @Param('version', VersionRefPipe) version: string,
    @Body() dto: PlanRequestDto,
  ) {
    return this.planner.plan(caller, name, version, dto);
  }
}
