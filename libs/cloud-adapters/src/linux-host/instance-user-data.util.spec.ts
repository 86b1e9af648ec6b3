import { parse } from 'yaml';
import { ownedByInstanceUser } from './instance-user-data.util.js';

describe('a tier’s cloud-config for a Linux host', () => {
  it('gives the instance’s user the files that name no owner, and keeps everything else', () => {
    const text = [
      '#cloud-config',
      '# switchyard deployment d, tier db, instance 0',
      'write_files:',
      '  - path: /etc/switchyard/env',
      "    permissions: '0600'",
      '    content: |',
      "      PGPASSWORD='it''s'",
      '  - path: /etc/keep',
      '    owner: root:root',
      '    content: x',
      'runcmd:',
      "  - [sh, -c, 'exec /var/lib/switchyard/init.sh']",
      '',
    ].join('\n');
    const out = ownedByInstanceUser(text);
    expect(out.startsWith('#cloud-config\n')).toBe(true);
    expect(parse(out)).toEqual({
      write_files: [
        {
          path: '/etc/switchyard/env',
          permissions: '0600',
          content: "PGPASSWORD='it''s'\n",
          owner: 'nobody:nogroup',
        },
        { path: '/etc/keep', owner: 'root:root', content: 'x' },
      ],
      runcmd: [['sh', '-c', 'exec /var/lib/switchyard/init.sh']],
    });
  });

  it('passes a script, text that does not parse and a config without files through unchanged', () => {
    for (const text of [
      '#!/bin/sh\necho hi\n',
      '#cloud-config\nwrite_files: [\n',
      '#cloud-config\nruncmd: [ls]\n',
    ]) {
      expect(ownedByInstanceUser(text)).toBe(text);
    }
  });
});
