import { readFileSync } from 'node:fs';
import { Controller, Get } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';

/** Contiv's version.Info, the body netctl's `version` prints. */
export class NetmasterVersionDto {
  @ApiProperty({ example: '0.1.0', description: "Switchyard's version" }) Version!: string;
  @ApiProperty({ description: 'Not recorded in the build: empty' }) GitCommit!: string;
  @ApiProperty({ description: 'Not recorded in the build: empty' }) BuildTime!: string;
}

// apps/api/package.json, from src/fabric (tests) and dist/fabric (the built API) alike.
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** `GET /netmaster/version`, where netctl asks the server's version (Contiv serves `/version`). */
@ApiTags('fabric (Contiv)')
@ApiBearerAuth()
@ApiBasicAuth()
@Controller('netmaster')
export class NetmasterVersionController {
  @Get('version')
  @ApiOperation({ summary: "Switchyard's version in Contiv's shape (netctl version)" })
  @ApiOkResponse({ type: NetmasterVersionDto })
  version(): NetmasterVersionDto {
    return { GitCommit: '', Version: VERSION, BuildTime: '' };
  }
}
