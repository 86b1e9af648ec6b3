import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseFilters } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { FabricExceptionFilter } from './fabric-exception.filter.js';
import {
  AllocAddressDto,
  AllocAddressResultDto,
  CreateEndpointDto,
  CreateEndpointResultDto,
  DeleteEndpointDto,
  EndpointInspectDto,
  ReleaseAddressDto,
} from './fabric-plugin.dto.js';
import { FabricPluginService } from './fabric-plugin.service.js';

/**
 * Contiv's plugin endpoints (`/netmaster/plugin/...`) and endpoint inspection. Bodies are typed
 * `unknown` on purpose: the global whitelist pipe would refuse Contiv's extra fields.
 */
@ApiTags('fabric (Contiv)')
@ApiBearerAuth()
@ApiBasicAuth()
@UseFilters(FabricExceptionFilter)
@Controller('netmaster')
export class FabricPluginController {
  constructor(@Inject(FabricPluginService) private readonly plugin: FabricPluginService) {}

  @Post('plugin/allocAddress')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Take the lowest free address of a network or group pool (operator)',
    description: '409 when the subnet or pool is exhausted, or the preferred address is in use.',
  })
  @ApiBody({ type: AllocAddressDto })
  @ApiOkResponse({ type: AllocAddressResultDto })
  allocAddress(@Caller() caller: Principal, @Body() body: unknown) {
    return this.plugin.allocAddress(caller, body);
  }

  @Post('plugin/releaseAddress')
  @HttpCode(200)
  @ApiOperation({ summary: 'Give back an address taken with allocAddress (operator)' })
  @ApiBody({ type: ReleaseAddressDto })
  @ApiOkResponse({ description: 'Released; the body is empty JSON' })
  async releaseAddress(@Caller() caller: Principal, @Body() body: unknown) {
    await this.plugin.releaseAddress(caller, body);
    return {};
  }

  @Post('plugin/createEndpoint')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Attach an endpoint (container or VM) with an address (operator)',
    description: 'Repeating the same create is a no-op; the MAC is 02:02 and the IPv4 bytes.',
  })
  @ApiBody({ type: CreateEndpointDto })
  @ApiOkResponse({ type: CreateEndpointResultDto })
  createEndpoint(@Caller() caller: Principal, @Body() body: unknown) {
    return this.plugin.createEndpoint(caller, body);
  }

  @Post('plugin/deleteEndpoint')
  @HttpCode(200)
  @ApiOperation({ summary: 'Detach an endpoint and free its addresses (operator)' })
  @ApiBody({ type: DeleteEndpointDto })
  @ApiOkResponse({ description: 'Deleted; the body is empty JSON' })
  async deleteEndpoint(@Caller() caller: Principal, @Body() body: unknown) {
    await this.plugin.deleteEndpoint(caller, body);
    return {};
  }

  @Get('api/v1/inspect/endpoints/:id')
  @ApiOperation({
    summary: "One endpoint: addresses, MAC, group, host (Contiv's {Oper})",
    description:
      'Found by endpoint id or container id (or a unique prefix of either) in every tenant the caller ' +
      'may see, as netctl names no tenant; 409 when the prefix matches several.',
  })
  @ApiQuery({ name: 'tenant', required: false, description: 'Look only in this tenant' })
  @ApiOkResponse({ type: EndpointInspectDto })
  inspectEndpoint(@Caller() caller: Principal, @Param('id') id: string, @Query('tenant') tenant?: string) {
    return this.plugin.inspectEndpoint(caller, id, tenant);
  }
}
