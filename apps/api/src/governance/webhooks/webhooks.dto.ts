import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

const EVENT_TYPE = /^(\*|[a-z][a-z0-9-]{0,40}(\.[a-z0-9-]{1,40}){0,3})$/;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/switchyard', description: 'http or https' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({
    type: [String],
    example: ['approval.requested', 'approval.approved', 'approval.rejected', 'approval.expired'],
    description: 'Event types to deliver; `*` for every type (e.g. also budget.threshold, lease.expiring)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(EVENT_TYPE, { each: true, message: 'must be an event type like approval.requested, or *' })
  eventTypes!: string[];

  @ApiPropertyOptional({ format: 'uuid', description: "Admins: the tenant (default: the caller's)" })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) eventTypes!: string[];
  @ApiProperty({ example: '********Xy3Q', description: 'Write-only: masked, its last four characters' })
  secret!: string;
  @ApiProperty() createdAt!: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_…',
    description: 'The signing secret, shown this once (sealed at rest); receivers verify with it',
  })
  declare secret: string;
}

export class DeliveryAttemptDto {
  @ApiProperty() at!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'The receiver’s HTTP status; null: no answer' })
  statusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() durationMs!: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'approval.requested' }) eventType!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'When the next try is due (pending only)' })
  nextAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: [DeliveryAttemptDto] }) log!: DeliveryAttemptDto[];
  @ApiProperty() createdAt!: string;
}

export class WebhookSettingsDto {
  @ApiProperty({
    type: [String],
    example: ['127.0.0.1/32', 'hooks.internal.example'],
    description:
      'Internal targets webhooks may call (host names, addresses or CIDR blocks). Public addresses ' +
      'are always allowed; loopback, private, link-local and other internal ones only when listed here.',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  allowedTargets!: string[];
}
