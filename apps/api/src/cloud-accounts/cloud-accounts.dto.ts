import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { describeCredentials, describeSettings } from '@switchyard/cloud-adapters';
import { CLOUD_PROVIDERS, type CloudProviderName } from '@switchyard/core/database';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsOmittable } from '../common/is-omittable.decorator.js';
import { PageQuery } from '../common/pagination.js';
import { QueryBoolean } from '../common/query-boolean.js';

const PROVIDER_RULE = { message: `must be one of ${CLOUD_PROVIDERS.join(', ')}` };
// the fields each provider takes, as libs/cloud-adapters declares them
const byProvider = (describe: (provider: CloudProviderName) => string) =>
  CLOUD_PROVIDERS.map((p) => `${p}: ${describe(p)}`).join('; ');
const REMOVE_ORPHANS =
  "The reconciler terminates instances tagged as Switchyard's that no deployment owns on this " +
  'account; otherwise it only lists them (GET /api/v1/cloud-accounts/{id}/orphans)';

export class CreateCloudAccountDto {
  @ApiProperty({ example: 'AWS production', description: 'Unique in the tenant' })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiProperty({ enum: CLOUD_PROVIDERS, example: 'aws-ec2' })
  @IsIn(CLOUD_PROVIDERS, PROVIDER_RULE)
  provider!: CloudProviderName;

  @ApiPropertyOptional({ example: 'The team account in eu-west-1' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty({
    description: `Non-secret connection settings, by provider. ${byProvider(describeSettings)}`,
    example: { region: 'eu-west-1' },
  })
  @IsObject()
  settings!: Record<string, unknown>;

  @ApiProperty({
    description: `Write-only: sealed at rest, never returned. ${byProvider(describeCredentials)}`,
    example: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' },
  })
  @IsObject()
  credentials!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'A simulator (moto, vcsim), shown as such everywhere' })
  @IsOptional()
  @IsBoolean()
  simulated?: boolean;

  @ApiPropertyOptional({ description: REMOVE_ORPHANS, default: false })
  @IsOptional()
  @IsBoolean()
  removeOrphans?: boolean;
}

// A change: each field left out stays as it is; null is refused (none of them can be cleared).
export class UpdateCloudAccountDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(1, 64) name?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(500) description?: string;

  @ApiPropertyOptional({ description: 'Merged into the settings; a field set to null is removed' })
  @IsOmittable()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Replaces the credentials as a whole (sealed again)' })
  @IsOmittable()
  @IsObject()
  credentials?: Record<string, unknown>;

  @ApiPropertyOptional() @IsOmittable() @IsBoolean() simulated?: boolean;
  @ApiPropertyOptional({ description: REMOVE_ORPHANS }) @IsOmittable() @IsBoolean() removeOrphans?: boolean;
}

export class CloudAccountQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CLOUD_PROVIDERS })
  @IsOptional()
  @IsIn(CLOUD_PROVIDERS, PROVIDER_RULE)
  provider?: CloudProviderName;
}

export class CloudAccountTestDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ example: 'AuthFailure: AWS was not able to validate the provided access credentials' })
  message!: string;
  @ApiPropertyOptional({ description: "The cloud's own error code" }) cloudCode?: string;
  @ApiProperty() latencyMs!: number;
  @ApiProperty({ description: 'When the test ran' }) at!: string;
}

export class InventoryCountsDto {
  @ApiProperty() regions!: number;
  @ApiProperty() instanceTypes!: number;
  @ApiProperty() images!: number;
}

export class CloudAccountDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: CLOUD_PROVIDERS }) provider!: CloudProviderName;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'A simulator, not a real cloud' }) simulated!: boolean;
  @ApiProperty({ description: REMOVE_ORPHANS }) removeOrphans!: boolean;
  @ApiProperty({ type: Object }) settings!: Record<string, unknown>;
  @ApiProperty({
    type: Object,
    description: 'Identifiers show their last four characters, secrets only stars',
    example: { accessKeyId: '********MPLE', secretAccessKey: '********' },
  })
  maskedCredentials!: Record<string, string>;
  @ApiProperty({ type: CloudAccountTestDto, nullable: true }) lastTest!: CloudAccountTestDto | null;
  @ApiProperty({ type: InventoryCountsDto, nullable: true }) inventoryCounts!: InventoryCountsDto | null;
  @ApiPropertyOptional({ type: Object, description: 'Only on GET of one account', nullable: true })
  inventory?: {
    regions: { id: string; name: string }[];
    instanceTypes: { name: string; cpu: number; memoryMiB: number }[];
    images: { id: string; name: string }[];
  } | null;
  @ApiProperty({ type: String, nullable: true }) syncedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CloudAccountSyncDto {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty() jobId!: string;
  @ApiProperty({ enum: ['queued'] }) status!: 'queued';
  @ApiProperty({ type: String, nullable: true, description: 'The previous sync; poll the account' })
  syncedAt!: string | null;
}

export class CloudOrphanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The environment whose connection saw it' }) environment!: string;
  @ApiProperty({ description: "The cloud's id of the instance" }) resourceId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'As the cloud last reported it' }) state!: string;
  @ApiProperty({ type: Object }) tags!: Record<string, string>;
  @ApiProperty({ example: 'no deployment 4f1c…' }) reason!: string;
  @ApiProperty() firstSeenAt!: string;
  @ApiProperty() lastSeenAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'When it was no longer on the cloud' })
  removedAt!: string | null;
}

export class CloudOrphanQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Also those already gone from the cloud', default: false })
  @IsOptional()
  @IsBoolean()
  @QueryBoolean()
  all?: boolean;
}
