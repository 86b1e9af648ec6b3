import { obj, xsdString, type MoRef, type XmlObject } from './vim25-xml.js';

// Builders for the vim25 data objects the adapter sends, each field in the WSDL's order.

export function optionValues(values: Record<string, string>): XmlObject[] {
  return Object.entries(values).map(([key, value]) =>
    obj(undefined, [
      ['key', key],
      ['value', xsdString(value)],
    ]),
  );
}

export interface VmConfig {
  name?: string;
  guestId?: string;
  datastorePath?: string;
  numCPUs?: number;
  memoryMB?: number;
  nic?: { switchUuid: string; portgroupKey: string };
  extraConfig?: Record<string, string>;
}

/** VirtualMachineConfigSpec: name, guestId, files, numCPUs, memoryMB, deviceChange, extraConfig. */
export function vmConfigSpec(config: VmConfig): XmlObject {
  const nic = config.nic
    ? obj(undefined, [
        ['operation', 'add'],
        [
          'device',
          obj('VirtualVmxnet3', [
            ['key', -1],
            [
              'backing',
              obj('VirtualEthernetCardDistributedVirtualPortBackingInfo', [
                [
                  'port',
                  obj(undefined, [
                    ['switchUuid', config.nic.switchUuid],
                    ['portgroupKey', config.nic.portgroupKey],
                  ]),
                ],
              ]),
            ],
            [
              'connectable',
              obj(undefined, [
                ['startConnected', true],
                ['allowGuestControl', true],
                ['connected', true],
              ]),
            ],
            ['addressType', 'generated'],
          ]),
        ],
      ])
    : undefined;
  return obj(undefined, [
    ['name', config.name],
    ['guestId', config.guestId],
    ['files', config.datastorePath ? obj(undefined, [['vmPathName', config.datastorePath]]) : undefined],
    ['numCPUs', config.numCPUs],
    ['memoryMB', config.memoryMB],
    ['deviceChange', nic ? [nic] : undefined],
    ['extraConfig', config.extraConfig ? optionValues(config.extraConfig) : undefined],
  ]);
}

/** VirtualMachineCloneSpec: location (RelocateSpec: folder, datastore, pool), template, config, powerOn. */
export function cloneSpec(
  place: { folder: MoRef; pool: MoRef; datastore?: MoRef },
  config: VmConfig,
): XmlObject {
  return obj(undefined, [
    [
      'location',
      obj(undefined, [
        ['folder', place.folder],
        ['datastore', place.datastore],
        ['pool', place.pool],
      ]),
    ],
    ['template', false],
    ['config', vmConfigSpec(config)],
    ['powerOn', false],
  ]);
}

/** DVPortgroupConfigSpec: name, numPorts, defaultPortConfig (VLAN), description, type. */
export function portgroupSpec(name: string, description: string, vlan: number | undefined): XmlObject {
  const portConfig =
    vlan === undefined
      ? undefined
      : obj('VMwareDVSPortSetting', [
          [
            'vlan',
            obj('VmwareDistributedVirtualSwitchVlanIdSpec', [
              ['inherited', false],
              ['vlanId', vlan],
            ]),
          ],
        ]);
  return obj(undefined, [
    ['name', name],
    ['numPorts', 32],
    ['defaultPortConfig', portConfig],
    ['description', description],
    ['type', 'earlyBinding'],
  ]);
}
