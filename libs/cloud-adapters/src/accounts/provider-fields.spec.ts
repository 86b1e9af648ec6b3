import { checkAccountFields, maskCredentials } from './account-fields.js';
import { describeCredentials, describeSettings, PROVIDER_FIELDS } from './provider-fields.js';

describe('the provider fields, declared once', () => {
  it('describe each provider for the API document, optional fields marked', () => {
    expect(describeSettings('openstack')).toBe('authUrl, region?, vlanPhysicalNetwork?, caCert?, insecure?');
    expect(describeCredentials('openstack')).toBe(
      '{kind: password, username, password, project, userDomain?, projectDomain?} or ' +
        '{kind: application-credential, id, secret}',
    );
    expect(describeCredentials('aws-ec2')).toBe('accessKeyId, secretAccessKey, sessionToken?');
  });

  it('are the fields the API checks: each required one missing is named, nothing else', () => {
    for (const [provider, fields] of Object.entries(PROVIDER_FIELDS)) {
      const p = provider as keyof typeof PROVIDER_FIELDS;
      for (const variant of fields.credentials) {
        const problems = checkAccountFields(p, {}, variant.kind ? { kind: variant.kind } : {});
        const required = [
          ...fields.settings.filter((f) => f.required).map((f) => `settings.${f.key}`),
          ...variant.fields.filter((f) => f.required).map((f) => `credentials.${f.key}`),
        ];
        expect(problems.map((x) => x.path).sort()).toEqual(required.sort());
      }
    }
  });

  it('tell an OpenStack application credential from a password by its kind', () => {
    const settings = { authUrl: 'https://keystone.example:5000/v3' };
    const appCredential = { kind: 'application-credential', id: 'abcd1234efgh', secret: 's' };
    expect(checkAccountFields('openstack', settings, appCredential)).toEqual([]);
    expect(checkAccountFields('openstack', settings, { ...appCredential, username: 'u' })).toEqual([
      { path: 'credentials.username', message: 'is not a known field for this provider' },
    ]);
    expect(checkAccountFields('openstack', settings, { kind: 'token' })).toEqual([
      { path: 'credentials.kind', message: 'must be password or application-credential' },
    ]);
    expect(maskCredentials('openstack', appCredential)).toEqual({
      kind: 'application-credential',
      id: '********efgh',
      secret: '********',
    });
  });
});
