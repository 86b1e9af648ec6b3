import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Contiv's plugin shapes (PascalCase), for the OpenAPI document. The bodies are checked by
// plugin-body.util.ts rather than the global whitelist pipe: Contiv clients send more fields
// than we read, and refusing them would break those clients.

export class AllocAddressDto {
  @ApiProperty({ example: 'net1.default', description: 'network.tenant, or network:group.tenant' })
  NetworkID!: string;
  @ApiPropertyOptional({ description: 'Accepted and ignored: the network decides' })
  AddressPool?: string;
  @ApiPropertyOptional({ example: '10.1.1.20', description: 'Refused if outside the subnet or in use' })
  PreferredIPv4Address?: string;
}

export class AllocAddressResultDto {
  @ApiProperty({ example: 'net1.default' }) NetworkID!: string;
  @ApiProperty({ example: '10.1.1.1/24' }) IPv4Address!: string;
}

export class ReleaseAddressDto {
  @ApiProperty({ example: 'net1.default' }) NetworkID!: string;
  @ApiProperty({ example: '10.1.1.1/24', description: 'a.b.c.d or a.b.c.d/len' }) IPv4Address!: string;
}

class ConfigEpDto {
  @ApiPropertyOptional() Container?: string;
  @ApiPropertyOptional() Host?: string;
  @ApiPropertyOptional() IPAddress?: string;
  @ApiPropertyOptional() ServiceName?: string;
}

export class CreateEndpointDto {
  @ApiPropertyOptional({ description: "Default: the token's tenant" }) TenantName?: string;
  @ApiProperty({ example: 'net1' }) NetworkName!: string;
  @ApiPropertyOptional({ description: 'The endpoint group; empty for the network itself' })
  ServiceName?: string;
  @ApiProperty({ example: 'c0ffee42' }) EndpointID!: string;
  @ApiPropertyOptional() ContainerID?: string;
  @ApiPropertyOptional() HomingHost?: string;
  @ApiPropertyOptional() IntfName?: string;
  @ApiPropertyOptional({ description: 'Preferred IPv4 address' }) IPAddress?: string;
  @ApiPropertyOptional({ type: ConfigEpDto }) ConfigEP?: ConfigEpDto;
}

export class DeleteEndpointDto {
  @ApiPropertyOptional({ description: "Default: the token's tenant" }) TenantName?: string;
  @ApiPropertyOptional() NetworkName?: string;
  @ApiPropertyOptional() ServiceName?: string;
  @ApiProperty() EndpointID!: string;
}

export class EndpointDto {
  @ApiProperty() endpointID!: string;
  @ApiProperty() tenantName!: string;
  @ApiProperty() networkName!: string;
  @ApiProperty({ description: 'The endpoint group, or empty' }) serviceName!: string;
  @ApiProperty({ type: [String], example: ['10.1.1.1'] }) ipAddress!: string[];
  @ApiProperty({ example: '02:02:0a:01:01:01' }) macAddress!: string;
  @ApiProperty() homingHost!: string;
  @ApiProperty() containerID!: string;
  @ApiProperty() intfName!: string;
}

export class CreateEndpointResultDto {
  @ApiProperty({ type: EndpointDto }) EndpointConfig!: EndpointDto;
}

/** Contiv's EndpointOper, as endpoint, network, group and policy inspects show endpoints. */
export class ContivEndpointDto {
  @ApiProperty() containerID!: string;
  @ApiProperty({ description: 'Not known to Switchyard: empty' }) containerName!: string;
  @ApiProperty({ description: 'The group, by number; 0 for a network-level endpoint' })
  endpointGroupId!: number;
  @ApiProperty({ example: 'web:default', description: 'group:tenant, or empty' }) endpointGroupKey!: string;
  @ApiProperty() endpointID!: string;
  @ApiProperty() homingHost!: string;
  @ApiProperty() intfName!: string;
  @ApiProperty({ type: [String], example: ['10.1.1.1', ''], description: '[IPv4, IPv6 or empty]' })
  ipAddress!: string[];
  @ApiProperty() labels!: string;
  @ApiProperty({ example: '02:02:0a:01:01:01' }) macAddress!: string;
  @ApiProperty({ example: 'net1.default', description: 'network.tenant' }) network!: string;
  @ApiProperty({ description: 'The endpoint group, or empty' }) serviceName!: string;
  @ApiProperty() virtualPort!: string;
  @ApiProperty() vtepIP!: string;
}

export class EndpointInspectDto {
  @ApiProperty({ type: ContivEndpointDto }) Oper!: ContivEndpointDto;
}
