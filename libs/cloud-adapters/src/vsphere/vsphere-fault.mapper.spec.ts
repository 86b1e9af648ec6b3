import { CloudErrorCode } from '../adapter/cloud.exception.js';
import { mapVsphereFault } from './vsphere-fault.mapper.js';

describe('mapVsphereFault', () => {
  it.each([
    ['InvalidLogin', CloudErrorCode.AuthFailed],
    ['ManagedObjectNotFound', CloudErrorCode.NotFound],
    ['InsufficientResourcesFault', CloudErrorCode.CapacityUnavailable],
    ['ResourceInUse', CloudErrorCode.InUse],
    ['TaskInProgress', CloudErrorCode.Unavailable],
    ['InvalidPowerState', CloudErrorCode.InvalidRequest],
  ])('%s becomes %s with the fault kept', (fault, code) => {
    expect(mapVsphereFault(fault, 'as vCenter said it')).toMatchObject({
      code,
      cloudCode: fault,
      cloudMessage: 'as vCenter said it',
      provider: 'vsphere',
    });
  });
});
