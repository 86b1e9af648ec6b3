import type { CommandGroup } from '../../core/command.js';
import { list } from '../../core/flags.js';
import { printJson } from '../../core/output.js';

const shown = (names: string[] | null) => (names === null ? 'all' : names.join(', ') || '(none)');

export const entitlementCommands: CommandGroup = {
  name: 'entitlement',
  summary: 'which blueprints a tenant may order and which environments it may place on',
  commands: [
    {
      name: 'show',
      usage: 'syd entitlement show TENANT',
      summary: "a tenant's entitlements",
      async run({ api, output, args }) {
        const { body } = await api.get('/api/v1/entitlements/{tenant}', { path: { tenant: args[0] ?? '' } });
        if (output.json) return printJson(output, body);
        output.out(`blueprints:   ${shown(body.blueprints)}\nenvironments: ${shown(body.environments)}`);
      },
    },
    {
      name: 'set',
      usage: 'syd entitlement set TENANT [--blueprint PATTERN]... [--env PATTERN]...',
      summary: 'admins: set both lists (names or * patterns); a list not given allows all',
      flags: [
        { name: 'blueprint', kind: 'list', help: 'a blueprint the tenant may order (name or * pattern)' },
        { name: 'env', kind: 'list', help: 'an environment the tenant may place on (name or * pattern)' },
      ],
      async run({ api, output, args, flags }) {
        const blueprints = list(flags, 'blueprint');
        const environments = list(flags, 'env');
        const { body } = await api.put('/api/v1/entitlements/{tenant}', {
          path: { tenant: args[0] ?? '' },
          body: {
            blueprints: blueprints.length ? blueprints : null,
            environments: environments.length ? environments : null,
          },
        });
        if (output.json) return printJson(output, body);
        output.out(`blueprints:   ${shown(body.blueprints)}\nenvironments: ${shown(body.environments)}`);
      },
    },
  ],
};
