import { NO_WORKLOAD, workloadReach } from './workload-reach.util.js';

describe('workloadReach', () => {
  it('measures Linux-host instances', () => {
    expect(workloadReach({ provider: 'linux-host', simulated: false })).toEqual({ measurable: true });
  });

  it('says simulated clouds and the fake-driver OpenStack run no workload', () => {
    for (const provider of ['aws-ec2', 'vsphere']) {
      expect(workloadReach({ provider, simulated: true })).toEqual({
        measurable: false,
        reason: NO_WORKLOAD,
      });
    }
    expect(workloadReach({ provider: 'openstack', simulated: false })).toEqual({
      measurable: false,
      reason: NO_WORKLOAD,
    });
  });

  it('says a real public cloud is out of the worker load generator reach', () => {
    const reach = workloadReach({ provider: 'aws-ec2', simulated: false });
    expect(reach.measurable).toBe(false);
    expect(!reach.measurable && reach.reason).toMatch(/cannot reach aws-ec2 instances/);
  });
});
