import { FabricError } from '@switchyard/network-fabric';
import { checkBodyKey, CONTIV_COLLECTIONS, objectRef, withKey } from './contiv-key.util.js';

describe('Contiv keys', () => {
  it('derives every collection from the object specs', () => {
    expect([...CONTIV_COLLECTIONS].sort()).toEqual(
      [
        'Bgps',
        'appProfiles',
        'endpointGroups',
        'extContractsGroups',
        'globals',
        'netprofiles',
        'networks',
        'policys',
        'rules',
        'serviceLBs',
        'tenants',
      ].sort(),
    );
  });

  it('splits URL keys into tenant and name', () => {
    expect(objectRef('rules', 't1:pol:7')).toMatchObject({ kind: 'rule', tenant: 't1', name: 'pol:7' });
    expect(objectRef('tenants', 't1')).toMatchObject({ kind: 'tenant', tenant: 't1', name: '' });
    expect(objectRef('globals', 'global')).toMatchObject({ kind: 'global', tenant: '', name: '' });
    // BGP settings are cluster-wide: keyed by host name, in no tenant
    expect(objectRef('Bgps', 'host1.example')).toMatchObject({
      kind: 'bgp',
      tenant: '',
      name: 'host1.example',
    });
    expect(() => objectRef('networks', 'only-one-part')).toThrow(FabricError);
    expect(() => objectRef('bogus', 'a:b')).toThrow(/unknown collection "bogus"/);
  });

  it('requires the body to make the URL key; tenantName may be left out', () => {
    const ref = objectRef('networks', 't1:web');
    expect(() => checkBodyKey(ref, { networkName: 'web' })).not.toThrow();
    expect(() => checkBodyKey(ref, { tenantName: 't1', networkName: 'web', key: 't1:web' })).not.toThrow();
    for (const body of [{ networkName: 'db' }, {}, { tenantName: 't2', networkName: 'web' }]) {
      expect(() => checkBodyKey(ref, body)).toThrow(/does not match the key "t1:web"/);
    }
    expect(() => checkBodyKey(ref, { networkName: 'web', key: 'x:y' })).toThrow(FabricError);
    // a tenant's body must name it
    expect(() => checkBodyKey(objectRef('tenants', 't1'), {})).toThrow(FabricError);
  });

  it('answers objects with the key first and fields in spec order', () => {
    const out = withKey('policy', 't1:p', { policyName: 'p', tenantName: 't1' });
    expect(Object.keys(out)).toEqual(['key', 'tenantName', 'policyName']);
  });
});
