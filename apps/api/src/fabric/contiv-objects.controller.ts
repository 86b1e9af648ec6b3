import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ContivObjectsService } from './contiv-objects.service.js';
import { CONTIV_COLLECTIONS } from './contiv-key.util.js';
import {
  CONTIV_DELETED_SCHEMA,
  CONTIV_INSPECT_SCHEMA,
  CONTIV_OBJECT_SCHEMA,
} from '../openapi/contiv-schemas.js';
import { FabricExceptionFilter } from './fabric-exception.filter.js';

const COLLECTION = ApiParam({ name: 'collection', enum: [...CONTIV_COLLECTIONS] });
const KEY = ApiParam({
  name: 'key',
  description: 'Contiv key: `global`, `TENANT`, `TENANT:NAME`, or `TENANT:POLICY:RULE_ID` for rules',
  example: 'default:net1',
});
const OBJECT_BODY = ApiBody({
  description:
    "The object in Contiv's JSON (e.g. `{tenantName, networkName, encap, subnet, gateway}`); " +
    'validated by the fabric, field by field. Its key fields must make the key in the URL.',
  schema: CONTIV_OBJECT_SCHEMA,
});
// the object as stored, with its key (schemas derived from the fabric's object specs)
const OBJECT_ANSWER = ApiOkResponse({
  description: 'The object, with its key',
  schema: CONTIV_OBJECT_SCHEMA,
});

/**
 * Contiv's netmaster REST API (`/netmaster/api/v1/<collection>/<key>/`), one set of routes for
 * every collection of the object model. Answers keep Contiv's shapes (200 on create, plain JSON
 * objects and arrays) so that netctl-style clients work; errors use Switchyard's error body.
 * Trailing slashes are optional (Express routing is not strict).
 */
@ApiTags('fabric (Contiv)')
@ApiBearerAuth()
@ApiBasicAuth()
@UseFilters(FabricExceptionFilter)
@Controller('netmaster/api/v1')
export class ContivObjectsController {
  constructor(@Inject(ContivObjectsService) private readonly objects: ContivObjectsService) {}

  // Declared before `:collection/:key` so three-segment inspect paths never reach it.
  @Get('inspect/:collection/:key')
  @COLLECTION
  @KEY
  @ApiOperation({
    summary: 'Config and operational state of one object',
    description: 'Answers `{Config, Oper}`; Oper holds e.g. allocated addresses and tags of a network.',
  })
  @ApiOkResponse({ schema: CONTIV_INSPECT_SCHEMA })
  inspect(@Caller() caller: Principal, @Param('collection') collection: string, @Param('key') key: string) {
    return this.objects.inspect(caller, collection, key);
  }

  @Get(':collection')
  @COLLECTION
  @ApiOkResponse({ schema: { type: 'array', items: CONTIV_OBJECT_SCHEMA } })
  @ApiOperation({
    summary: 'Every object of a collection the caller may see',
    description: "A JSON array; non-admins see their own tenant's objects only.",
  })
  list(@Caller() caller: Principal, @Param('collection') collection: string) {
    return this.objects.list(caller, collection);
  }

  @Get(':collection/:key')
  @COLLECTION
  @KEY
  @OBJECT_ANSWER
  @ApiOperation({ summary: 'One object' })
  get(@Caller() caller: Principal, @Param('collection') collection: string, @Param('key') key: string) {
    return this.objects.get(caller, collection, key);
  }

  @Post(':collection/:key')
  @HttpCode(200)
  @COLLECTION
  @KEY
  @OBJECT_BODY
  @OBJECT_ANSWER
  @ApiOperation({
    summary: 'Create or update an object (operator; tenants and global: admin)',
    description:
      'Repeating a create with an identical body changes nothing. Immutable fields cannot change (409). ' +
      'Creating a tenant creates the Switchyard tenant of that name.',
  })
  create(
    @Caller() caller: Principal,
    @Param('collection') collection: string,
    @Param('key') key: string,
    @Body() body: unknown,
  ) {
    return this.objects.apply(caller, collection, key, body);
  }

  @Put(':collection/:key')
  @COLLECTION
  @KEY
  @OBJECT_BODY
  @OBJECT_ANSWER
  @ApiOperation({ summary: 'Same as POST (Contiv accepts both)' })
  update(
    @Caller() caller: Principal,
    @Param('collection') collection: string,
    @Param('key') key: string,
    @Body() body: unknown,
  ) {
    return this.objects.apply(caller, collection, key, body);
  }

  @Delete(':collection/:key')
  @COLLECTION
  @KEY
  @ApiOperation({
    summary: 'Delete an object (operator; tenants: admin)',
    description: 'Refused with 409 while other objects depend on it; the message says which and how many.',
  })
  @ApiOkResponse({ description: 'Deleted', schema: CONTIV_DELETED_SCHEMA })
  async remove(
    @Caller() caller: Principal,
    @Param('collection') collection: string,
    @Param('key') key: string,
  ) {
    await this.objects.delete(caller, collection, key);
    return { key };
  }
}
