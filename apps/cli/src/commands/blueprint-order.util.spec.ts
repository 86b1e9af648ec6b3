import { byNameThenVersion } from './blueprint-order.util.js';

describe('byNameThenVersion', () => {
  it('sorts by name, then by version with numeric parts compared as numbers', () => {
    const rows = [
      { name: 'web', latestVersion: '1.10.0' },
      { name: 'etl', latestVersion: null },
      { name: 'web', latestVersion: '1.9.2' },
      { name: 'api', latestVersion: '2.0.0' },
    ];
    expect([...rows].sort(byNameThenVersion)).toEqual([
      { name: 'api', latestVersion: '2.0.0' },
      { name: 'etl', latestVersion: null },
      { name: 'web', latestVersion: '1.9.2' },
      { name: 'web', latestVersion: '1.10.0' },
    ]);
  });
});
