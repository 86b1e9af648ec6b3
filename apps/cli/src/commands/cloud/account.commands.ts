import { readFileSync } from 'node:fs';
import type { Schemas } from '../../core/api-contract.js';
import type { CommandContext } from '../../core/command.js';
import { list, str, UsageError, type FlagSpec } from '../../core/flags.js';
import { printJson, printTable } from '../../core/output.js';
import { accountId, cloudObjectCommand, needArg, readObjectFile, readPairs } from './cloud-command.util.js';

const FLAGS: FlagSpec[] = [
  { name: 'provider', kind: 'string', help: 'create: aws-ec2, openstack, vsphere or linux-host; ls: filter' },
  { name: 'description', kind: 'string', help: 'free text' },
  { name: 'set', kind: 'list', help: 'a setting KEY=VALUE (repeatable), e.g. region=eu-west-1' },
  { name: 'settings-file', kind: 'string', help: 'settings as a JSON/YAML object' },
  {
    name: 'ca-cert-file',
    kind: 'string',
    help: "vSphere, OpenStack: PEM of the CA that signed the cloud's certificate",
  },
  { name: 'credentials-file', kind: 'string', help: 'credentials as a JSON/YAML object (- reads stdin)' },
  { name: 'simulated', kind: 'bool', help: 'the account is a simulator (moto, vcsim)' },
  {
    name: 'remove-orphans',
    kind: 'bool',
    help: "the reconciler terminates instances tagged as Switchyard's that no deployment owns",
  },
  { name: 'all', kind: 'bool', help: 'orphans: also those already gone' },
];

const boolFlag = (ctx: CommandContext, name: string) =>
  ctx.flags[name] === undefined ? undefined : ctx.flags[name] === true;

function settingsFrom({ flags }: CommandContext): Record<string, unknown> | undefined {
  const file = str(flags, 'settings-file');
  const pairs = list(flags, 'set');
  const ca = str(flags, 'ca-cert-file');
  if (!file && pairs.length === 0 && !ca) return undefined;
  const settings = { ...(file ? readObjectFile(file) : {}), ...readPairs(pairs, 'set') };
  if (ca) settings.caCert = readFileSync(ca, 'utf8');
  return settings;
}

function show(ctx: CommandContext, a: Schemas['CloudAccountDto']): void {
  if (ctx.output.json) return printJson(ctx.output, a);
  const o = ctx.output;
  o.out(`${a.name}${a.simulated ? '  [SIMULATED]' : ''}`);
  o.out(`  id:          ${a.id}`);
  o.out(`  provider:    ${a.provider}`);
  if (a.description) o.out(`  description: ${a.description}`);
  for (const [k, v] of Object.entries(a.settings)) {
    o.out(`  ${k}: ${k === 'caCert' ? '(PEM certificate)' : JSON.stringify(v)}`);
  }
  o.out(
    `  credentials: ${Object.entries(a.maskedCredentials)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  const t = a.lastTest;
  o.out(
    `  last test:   ${t ? `${t.ok ? 'ok' : 'FAILED'} (${t.latencyMs} ms, ${t.at}): ${t.message}` : 'never'}`,
  );
  o.out(`  orphans:     ${a.removeOrphans ? 'removed by the reconciler' : 'reported only'}`);
  const c = a.inventoryCounts;
  o.out(
    `  inventory:   ${c ? `${c.regions} regions, ${c.instanceTypes} instance types, ${c.images} images (${a.syncedAt})` : 'not synced'}`,
  );
}

export const accountCommand = cloudObjectCommand({
  name: 'account',
  summary: 'cloud accounts: ls, show, create, update, rm, test, sync, orphans',
  flags: FLAGS,
  actions: [
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd cloud account ls [--provider P]',
      summary: 'accounts you manage',
      async run(ctx) {
        const provider = str(ctx.flags, 'provider') || undefined;
        const { body } = await ctx.api.get('/api/v1/cloud-accounts', { query: { limit: 500, provider } });
        if (ctx.output.json) return printJson(ctx.output, body.items);
        printTable(ctx.output, body.items, {
          ID: (a) => a.id,
          NAME: (a) => a.name,
          PROVIDER: (a) => a.provider,
          SIMULATED: (a) => (a.simulated ? 'yes' : ''),
          'LAST TEST': (a) => (a.lastTest ? (a.lastTest.ok ? 'ok' : 'failed') : ''),
          SYNCED: (a) => a.syncedAt ?? '',
        });
      },
    },
    {
      name: 'show',
      usage: 'syd cloud account show ID|NAME',
      summary: 'one account (credentials masked)',
      async run(ctx) {
        const id = await accountId(ctx.api, needArg(ctx.args, 'account', 'syd cloud account show ID|NAME'));
        show(ctx, (await ctx.api.get('/api/v1/cloud-accounts/{id}', { path: { id } })).body);
      },
    },
    {
      name: 'create',
      usage:
        'syd cloud account create NAME --provider P (--set K=V ... | --settings-file F) --credentials-file F',
      summary: 'a new account; credentials from a file or stdin, never from the command line',
      async run(ctx) {
        const name = needArg(ctx.args, 'name', 'syd cloud account create NAME --provider P ...');
        const credentialsFile = str(ctx.flags, 'credentials-file');
        if (!credentialsFile) throw new UsageError('--credentials-file is required (use - for stdin)');
        const { body } = await ctx.api.post('/api/v1/cloud-accounts', {
          body: {
            name,
            provider: str(ctx.flags, 'provider'),
            description: str(ctx.flags, 'description'),
            settings: settingsFrom(ctx) ?? {},
            credentials: readObjectFile(credentialsFile),
            simulated: ctx.flags.simulated === true ? true : undefined,
            removeOrphans: boolFlag(ctx, 'remove-orphans'),
          },
        });
        show(ctx, body);
      },
    },
    {
      name: 'update',
      usage:
        'syd cloud account update ID|NAME [--set K=V] [--credentials-file F] [--description D] [--remove-orphans[=false]]',
      summary: 'change settings (merged) or replace the credentials',
      async run(ctx) {
        const id = await accountId(ctx.api, needArg(ctx.args, 'account', 'syd cloud account update ID|NAME'));
        const credentialsFile = str(ctx.flags, 'credentials-file');
        const { body } = await ctx.api.patch('/api/v1/cloud-accounts/{id}', {
          path: { id },
          body: {
            description: str(ctx.flags, 'description'),
            settings: settingsFrom(ctx),
            credentials: credentialsFile ? readObjectFile(credentialsFile) : undefined,
            simulated: boolFlag(ctx, 'simulated'),
            removeOrphans: boolFlag(ctx, 'remove-orphans'),
          },
        });
        show(ctx, body);
      },
    },
    {
      name: 'rm',
      aliases: ['delete'],
      usage: 'syd cloud account rm ID|NAME',
      summary: 'delete an account no environment uses',
      async run(ctx) {
        const id = await accountId(ctx.api, needArg(ctx.args, 'account', 'syd cloud account rm ID|NAME'));
        await ctx.api.delete('/api/v1/cloud-accounts/{id}', { path: { id } });
      },
    },
    {
      name: 'test',
      usage: 'syd cloud account test ID|NAME',
      summary: 'check the credentials live; exit 1 when the cloud refuses them',
      async run(ctx) {
        const id = await accountId(ctx.api, needArg(ctx.args, 'account', 'syd cloud account test ID|NAME'));
        const { body } = await ctx.api.post('/api/v1/cloud-accounts/{id}/test', { path: { id } });
        if (ctx.output.json) printJson(ctx.output, body);
        else ctx.output.out(`${body.ok ? 'ok' : 'FAILED'} in ${body.latencyMs} ms: ${body.message}`);
        return body.ok ? 0 : 1;
      },
    },
    {
      name: 'sync',
      usage: 'syd cloud account sync ID|NAME',
      summary: 'queue a refresh of regions, instance types and images',
      async run(ctx) {
        const id = await accountId(ctx.api, needArg(ctx.args, 'account', 'syd cloud account sync ID|NAME'));
        const { body } = await ctx.api.post('/api/v1/cloud-accounts/{id}/sync', { path: { id } });
        if (ctx.output.json) printJson(ctx.output, body);
        else ctx.output.out(`sync queued (job ${body.jobId}); see syd cloud account show ${id}`);
      },
    },
    {
      name: 'orphans',
      usage: 'syd cloud account orphans ID|NAME [--all]',
      summary: "instances tagged as Switchyard's that no deployment owns, as the reconciler saw them",
      async run(ctx) {
        const id = await accountId(
          ctx.api,
          needArg(ctx.args, 'account', 'syd cloud account orphans ID|NAME'),
        );
        const { body } = await ctx.api.get('/api/v1/cloud-accounts/{id}/orphans', {
          path: { id },
          query: { limit: 500, all: ctx.flags.all === true ? true : undefined },
        });
        if (ctx.output.json) return printJson(ctx.output, body.items);
        printTable(ctx.output, body.items, {
          ENVIRONMENT: (o) => o.environment,
          'RESOURCE ID': (o) => o.resourceId,
          NAME: (o) => o.name,
          STATE: (o) => (o.removedAt ? `gone ${o.removedAt}` : o.state),
          REASON: (o) => o.reason,
          'FIRST SEEN': (o) => o.firstSeenAt,
        });
      },
    },
  ],
});
