import { checkAccountFields, environmentConnection, maskCredentials } from './account-fields.js';

describe('account fields', () => {
  it('names every bad field of an account by path', () => {
    const problems = checkAccountFields(
      'aws-ec2',
      { endpoint: 'ftp://x', colour: 'red' },
      { accessKeyId: 5 },
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'credentials.accessKeyId',
      'credentials.secretAccessKey',
      'settings.colour',
      'settings.endpoint',
      'settings.region',
    ]);
  });

  it('takes a CA certificate and insecure for OpenStack, and refuses a CA that is no PEM', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ==\n-----END CERTIFICATE-----\n';
    const creds = { kind: 'password', username: 'u', password: 'p', project: 'demo' };
    const authUrl = 'https://keystone.example:5000/v3';
    expect(checkAccountFields('openstack', { authUrl, caCert: pem }, creds)).toEqual([]);
    expect(checkAccountFields('openstack', { authUrl, insecure: true }, creds)).toEqual([]);
    expect(checkAccountFields('openstack', { authUrl, caCert: 'not a certificate' }, creds)).toEqual([
      { path: 'settings.caCert', message: 'must be a PEM certificate' },
    ]);
    expect(checkAccountFields('openstack', { authUrl, insecure: 'yes' }, creds)).toEqual([
      { path: 'settings.insecure', message: 'must be true or false' },
    ]);
  });

  it('masks secrets entirely and identifiers but for their last four characters', () => {
    expect(
      maskCredentials('aws-ec2', { accessKeyId: 'AKIAABCDEFGH1234', secretAccessKey: 'very-secret-value' }),
    ).toEqual({
      accessKeyId: '********1234',
      secretAccessKey: '********',
    });
  });
});

describe('environmentConnection', () => {
  const creds = { accessKeyId: 'AKIAABCDEFGH1234', secretAccessKey: 's' };

  it('narrows an AWS account to the environment’s region and VPC', () => {
    const c = environmentConnection('aws-ec2', { region: 'us-east-1' }, creds, {
      region: 'eu-west-1',
      placement: { vpcId: 'vpc-1', addressPool: '10.0.0.0/16' },
    });
    expect(c).toMatchObject({ provider: 'aws-ec2', region: 'eu-west-1', vpcId: 'vpc-1' });
  });

  it('gives vSphere the environment’s placement and priced sizes, and nothing else of it', () => {
    const c = environmentConnection(
      'vsphere',
      { url: 'https://vc/sdk', datacenter: 'DC0' },
      { username: 'u', password: 'p' },
      {
        placement: { cluster: 'C1', addressPool: '10.0.0.0/16' },
        sizes: [{ name: 'xl', cpu: 8, memoryMiB: 32768 }],
      },
    );
    expect(c).toMatchObject({ provider: 'vsphere', datacenter: 'DC0', cluster: 'C1' });
    expect(c).not.toHaveProperty('addressPool');
    expect(c.provider === 'vsphere' && c.sizes).toEqual([{ id: 'xl', name: 'xl', cpu: 8, memoryMiB: 32768 }]);
  });

  it('hands an OpenStack account’s CA and insecure to the adapter, in every environment', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const creds = { kind: 'password', username: 'u', password: 'p', project: 'demo' };
    const c = environmentConnection(
      'openstack',
      { authUrl: 'https://ks/v3', region: 'RegionOne', caCert: pem, insecure: false },
      creds,
      { region: 'RegionTwo', placement: {} },
    );
    expect(c).toMatchObject({ provider: 'openstack', region: 'RegionTwo', caCert: pem, insecure: false });
  });

  it('passes the caller’s request timeout and retry policy to the adapter', () => {
    const limits = { requestTimeoutMs: 2_500, maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 500 };
    expect(environmentConnection('aws-ec2', { region: 'r' }, creds, { placement: {} }, limits)).toMatchObject(
      {
        requestTimeoutMs: 2_500,
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 500 },
      },
    );
    const bare = environmentConnection('aws-ec2', { region: 'r' }, creds, { placement: {} });
    expect(bare).not.toHaveProperty('retry');
    expect(bare).not.toHaveProperty('requestTimeoutMs');
  });
});
