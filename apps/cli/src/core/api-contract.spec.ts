import { fillPath, queryString } from './api-contract.js';

describe('calls by the contract’s path templates', () => {
  it('fills every {name} with its value, encoded as one path segment', () => {
    expect(
      fillPath('/netmaster/api/v1/{collection}/{key}', { collection: 'rules', key: 'default:web/db:1' }),
    ).toBe('/netmaster/api/v1/rules/default%3Aweb%2Fdb%3A1');
    expect(fillPath('/api/v1/tokens/{id}', { id: '' })).toBe('/api/v1/tokens/');
  });

  it('refuses a template with a value missing', () => {
    expect(() => fillPath('/api/v1/deployments/{id}/events', {})).toThrow(
      '/api/v1/deployments/{id}/events: no value for {id}',
    );
  });

  it('writes the query in the given order and leaves out what is undefined', () => {
    expect(queryString({ limit: 500, provider: undefined, all: true, q: 'a b&c' })).toBe(
      '?limit=500&all=true&q=a+b%26c',
    );
    expect(queryString({ state: undefined })).toBe('');
    expect(queryString()).toBe('');
  });
});
