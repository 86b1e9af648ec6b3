import type { Schemas } from '../../core/api-contract.js';
import type { CommandContext } from '../../core/command.js';
import { list, str, UsageError, type FlagSpec } from '../../core/flags.js';
import { printJson, printTable } from '../../core/output.js';
import { accountId, cloudObjectCommand, needArg, readObjectFile, readPairs } from './cloud-command.util.js';

const FLAGS: FlagSpec[] = [
  { name: 'account', kind: 'string', help: 'create: the cloud account (id or name)' },
  { name: 'title', kind: 'string', help: 'a display title' },
  { name: 'region', kind: 'string', help: "default: the account's" },
  { name: 'image', kind: 'list', help: 'OS:VERSION=IMAGE_ID (repeatable), e.g. ubuntu:22.04=ami-0abc' },
  { name: 'placement', kind: 'list', help: 'KEY=VALUE (repeatable), e.g. vpcId=vpc-1 or cluster=C1' },
  {
    name: 'price-file',
    kind: 'string',
    help: 'the price list as a JSON/YAML object (default for AWS: shipped)',
  },
  { name: 'shared', kind: 'bool', help: 'usable by every tenant (admins only)' },
];

function images(specs: string[]): { os: string; version: string; imageId: string }[] {
  return specs.map((spec) => {
    const m = /^([^:=]+):([^=]+)=(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--image takes OS:VERSION=IMAGE_ID, not "${spec}"`);
    return { os: m[1]!, version: m[2]!, imageId: m[3]! };
  });
}

function showEnvironment(ctx: CommandContext, e: Schemas['EnvironmentDto']): void {
  if (ctx.output.json) return printJson(ctx.output, e);
  const o = ctx.output;
  o.out(`${e.name}${e.simulated ? '  [SIMULATED]' : ''}${e.shared ? '  (shared)' : ''}`);
  if (e.title) o.out(`  title:    ${e.title}`);
  o.out(`  provider: ${e.provider}, account ${e.account.name} (${e.account.id})`);
  o.out(`  region:   ${e.region || '-'}`);
  o.out(`  images:   ${e.images.map((i) => `${i.os} ${i.version} → ${i.imageId}`).join('; ') || '-'}`);
  const p = e.priceList;
  o.out(
    `  prices:   ${p.currency}, ${p.instanceTypes?.length ?? 0} instance types${p.rateCard ? ' + rate card' : ''}; ${p.source} (${p.date})`,
  );
}

export const envCommand = cloudObjectCommand({
  name: 'env',
  aliases: ['environment'],
  summary: 'environments: ls, show, create, rm, catalog',
  flags: FLAGS,
  actions: [
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd cloud env ls',
      summary: 'environments you may use',
      async run(ctx) {
        const { body } = await ctx.api.get('/api/v1/environments', { query: { limit: 500 } });
        if (ctx.output.json) return printJson(ctx.output, body.items);
        printTable(ctx.output, body.items, {
          NAME: (e) => e.name,
          PROVIDER: (e) => e.provider,
          REGION: (e) => e.region,
          SIMULATED: (e) => (e.simulated ? 'yes' : ''),
          SHARED: (e) => (e.shared ? 'yes' : ''),
          ACCOUNT: (e) => e.account.name,
          TITLE: (e) => e.title,
        });
      },
    },
    {
      name: 'show',
      usage: 'syd cloud env show NAME',
      summary: 'one environment',
      async run(ctx) {
        const name = needArg(ctx.args, 'name', 'syd cloud env show NAME');
        showEnvironment(ctx, (await ctx.api.get('/api/v1/environments/{name}', { path: { name } })).body);
      },
    },
    {
      name: 'create',
      usage:
        'syd cloud env create NAME --account ID|NAME --image OS:VERSION=ID [--region R] [--price-file F]',
      summary: 'a new environment (AWS without --price-file: the shipped price table)',
      async run(ctx) {
        const name = needArg(ctx.args, 'name', 'syd cloud env create NAME --account ...');
        const account = str(ctx.flags, 'account');
        if (!account) throw new UsageError('--account is required');
        const priceFile = str(ctx.flags, 'price-file');
        const placement = list(ctx.flags, 'placement');
        const { body } = await ctx.api.post('/api/v1/environments', {
          body: {
            name,
            account: await accountId(ctx.api, account),
            title: str(ctx.flags, 'title'),
            region: str(ctx.flags, 'region'),
            placement: placement.length ? readPairs(placement, 'placement') : undefined,
            images: images(list(ctx.flags, 'image')),
            priceList: priceFile ? readObjectFile(priceFile) : undefined,
            shared: ctx.flags.shared === true ? true : undefined,
          },
        });
        showEnvironment(ctx, body);
      },
    },
    {
      name: 'rm',
      aliases: ['delete'],
      usage: 'syd cloud env rm NAME',
      summary: 'delete an environment',
      async run(ctx) {
        const name = needArg(ctx.args, 'name', 'syd cloud env rm NAME');
        await ctx.api.delete('/api/v1/environments/{name}', { path: { name } });
      },
    },
    {
      name: 'catalog',
      usage: 'syd cloud env catalog NAME',
      summary: 'what blueprints plan against: priced instance types and images',
      async run(ctx) {
        const name = needArg(ctx.args, 'name', 'syd cloud env catalog NAME');
        const { body } = await ctx.api.get('/api/v1/environments/{name}/catalog', { path: { name } });
        if (ctx.output.json) return printJson(ctx.output, body);
        const o = ctx.output;
        o.out(
          `${body.name}: ${body.provider}${body.region ? ` ${body.region}` : ''}, prices in ${body.currency}`,
        );
        printTable(o, body.instanceTypes, {
          'INSTANCE TYPE': (t) => t.name,
          CPU: (t) => t.cpu,
          'MEMORY MiB': (t) => t.memoryMiB,
          [`${body.currency}/HOUR`]: (t) => t.hourlyPrice,
        });
        if (body.storageGiBMonthPrice)
          o.out(`storage: ${body.storageGiBMonthPrice} ${body.currency} per GiB-month`);
        for (const i of body.images) o.out(`image ${i.os} ${i.version}: ${i.imageId}`);
      },
    },
  ],
});
