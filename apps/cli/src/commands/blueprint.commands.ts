import type { ParameterSpec, Problem } from '@switchyard/blueprints';
import { CliApiError, type ApiClient } from '../core/api-client.js';
import type { QueryOf, Schemas } from '../core/api-contract.js';
import type { CommandContext, CommandGroup } from '../core/command.js';
import { list, str, UsageError } from '../core/flags.js';
import { printJson, printTable, type Output } from '../core/output.js';
import { checkFile, formatProblem, readBlueprintFile, readEnvironments } from './blueprint-files.util.js';
import { byNameThenVersion } from './blueprint-order.util.js';
import { nameAndVersion, parsePairs, typedParameters } from './blueprint-plan.util.js';
import { costLine, hourlyAmount, centsAmount } from '../core/money.util.js';

type Version = Schemas['BlueprintVersionDto'];

/** Sends blueprint text to the API with its content type. */
type Upload = (text: string, contentType: string) => Promise<{ body: Version }>;

const push =
  (api: ApiClient): Upload =>
  (text, contentType) =>
    api.post('/api/v1/blueprints', { body: text, headers: { 'content-type': contentType } });

const publish =
  (api: ApiClient, name: string, version: string): Upload =>
  (text, contentType) =>
    api.post('/api/v1/blueprints/{name}/versions/{version}/publish', {
      path: { name, version },
      body: text,
      headers: { 'content-type': contentType },
    });

function needArgs(args: string[], count: number, usage: string): void {
  if (args.length < count) throw new UsageError(`missing arguments: ${usage}`);
}

/** Sends a blueprint file; a 400 is printed as FILE:LINE:COL problems (or JSON) and gives exit 1. */
async function send(ctx: CommandContext, file: string, upload: Upload): Promise<Version | number> {
  const blueprint = readBlueprintFile(file);
  const type = blueprint.contentType === 'json' ? 'application/json' : 'application/yaml';
  try {
    return (await upload(blueprint.text, type)).body;
  } catch (err) {
    if (!(err instanceof CliApiError) || err.status !== 400) throw err;
    report(ctx.output, file, err.details);
    return 1;
  }
}

function report(output: Output, file: string, problems: Problem[]): void {
  if (output.json) printJson(output, { file, valid: false, problems });
  else for (const p of problems) output.err(formatProblem(file, p));
}

function printVersion(output: Output, v: Version, verb: string): void {
  if (output.json) printJson(output, v);
  else output.out(`${verb} ${v.name}@${v.version} (${v.state}, sha256 ${v.sha256.slice(0, 12)})`);
}

async function parameterSpecs(api: ApiClient, name: string, version: string) {
  const { body } = await api.get('/api/v1/blueprints/{name}/versions/{version}', {
    path: { name, version },
  });
  // asked as JSON: the version's text as a blueprint document (the format of libs/blueprints)
  const declared = typeof body === 'object' ? body.parameters : undefined;
  return (declared ?? {}) as Record<string, ParameterSpec>;
}

export const blueprintCommands: CommandGroup = {
  name: 'blueprint',
  aliases: ['bp'],
  summary: 'the blueprint catalog: validate, push, publish, browse, plan',
  commands: [
    {
      name: 'validate',
      usage: 'syd blueprint validate FILE... [--service FILE]',
      summary: 'check blueprints offline; prints FILE:LINE:COL: path: message per problem',
      flags: [{ name: 'service', kind: 'list', help: 'a Service file that `uses` may name (repeatable)' }],
      async run({ output, args, flags }) {
        needArgs(args, 1, 'syd blueprint validate FILE');
        const results = args.map((file) => checkFile(file, list(flags, 'service')));
        if (output.json) printJson(output, args.length === 1 ? results[0] : results);
        else {
          for (const r of results) {
            for (const p of r.problems) output.out(formatProblem(r.file, p));
            if (r.valid) output.out(`${r.file}: valid`);
          }
        }
        return results.every((r) => r.valid) ? 0 : 1;
      },
    },
    {
      name: 'push',
      usage: 'syd blueprint push FILE [--publish]',
      summary: 'create or update a draft (operator); --publish freezes it at once',
      flags: [{ name: 'publish', kind: 'bool', help: 'publish the text as well' }],
      async run(ctx) {
        needArgs(ctx.args, 1, 'syd blueprint push FILE');
        const file = ctx.args[0]!;
        const pushed = await send(ctx, file, push(ctx.api));
        if (typeof pushed === 'number') return pushed;
        if (!ctx.flags.publish) return printVersion(ctx.output, pushed, 'pushed');
        const published = await send(ctx, file, publish(ctx.api, pushed.name, pushed.version));
        if (typeof published === 'number') return published;
        printVersion(ctx.output, published, 'published');
      },
    },
    {
      name: 'publish',
      usage: 'syd blueprint publish NAME VERSION [--file FILE]',
      summary: 'freeze a draft (or the text of FILE) as a published version (operator)',
      flags: [
        { name: 'file', short: 'f', kind: 'string', help: 'publish this text (must match the version)' },
      ],
      async run(ctx) {
        const { name, version } = nameAndVersion(ctx.args);
        const file = str(ctx.flags, 'file');
        const result = file
          ? await send(ctx, file, publish(ctx.api, name, version))
          : (
              await ctx.api.post('/api/v1/blueprints/{name}/versions/{version}/publish', {
                path: { name, version },
              })
            ).body;
        if (typeof result === 'number') return result;
        printVersion(ctx.output, result, 'published');
      },
    },
    {
      name: 'deprecate',
      usage: 'syd blueprint deprecate NAME VERSION',
      summary: 'hide a published version from new orders, latest and ranges (operator)',
      async run({ api, output, args }) {
        const { name, version } = nameAndVersion(args);
        const { body } = await api.post('/api/v1/blueprints/{name}/versions/{version}/deprecate', {
          path: { name, version },
        });
        printVersion(output, body, 'deprecated');
      },
    },
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd blueprint ls [--search TEXT] [--category C] [--tag T] [--owner O] [--kind K] [--all]',
      summary: 'your blueprints and the shared demo catalog, sorted by name, then latest version',
      flags: [
        { name: 'search', short: 's', kind: 'string', help: 'text in name, title or description' },
        { name: 'category', kind: 'string', help: 'category' },
        { name: 'tag', kind: 'string', help: 'tag' },
        { name: 'owner', kind: 'string', help: 'owner' },
        { name: 'kind', kind: 'string', help: 'Blueprint or Service' },
        { name: 'limit', kind: 'string', help: 'page size (default 50)' },
        { name: 'all', kind: 'bool', help: 'every page' },
      ],
      async run({ api, output, flags }) {
        const query: QueryOf<'/api/v1/blueprints', 'get'> = {
          q: str(flags, 'search'),
          category: str(flags, 'category'),
          tag: str(flags, 'tag'),
          owner: str(flags, 'owner'),
          kind: str(flags, 'kind'),
          limit: str(flags, 'limit'),
        };
        const items: Schemas['BlueprintSummaryDto'][] = [];
        for (;;) {
          const { body } = await api.get('/api/v1/blueprints', { query });
          items.push(...body.items);
          if (!flags.all || body.nextCursor === null) break;
          query.cursor = body.nextCursor;
        }
        items.sort(byNameThenVersion);
        if (output.json) return printJson(output, items);
        printTable(output, items, {
          NAME: (b) => b.name,
          KIND: (b) => b.kind,
          LATEST: (b) => b.latestVersion ?? '-',
          CATEGORY: (b) => b.category,
          OWNER: (b) => b.owner,
          TITLE: (b) => b.title,
        });
      },
    },
    {
      name: 'show',
      usage: 'syd blueprint show NAME [VERSION|RANGE|latest]',
      summary: 'a blueprint and its versions, or the text of one version (YAML; JSON with --output json)',
      async run({ api, output, args }) {
        needArgs(args, 1, 'syd blueprint show NAME [VERSION]');
        // A bare NAME shows the blueprint; NAME VERSION or NAME@RANGE shows one version's text.
        const { name, version } =
          args.length > 1 || args[0]!.includes('@')
            ? nameAndVersion(args)
            : { name: args[0]!, version: undefined };
        if (version === undefined) {
          const { body } = await api.get('/api/v1/blueprints/{name}', { path: { name } });
          if (output.json) return printJson(output, body);
          output.out(`${body.name} (${body.kind}): ${body.title}${body.shared ? ' [shared]' : ''}`);
          return printTable(output, body.versions ?? [], {
            VERSION: (v) => v.version,
            STATE: (v) => v.state,
            PUBLISHED: (v) => v.publishedAt ?? '',
            SHA256: (v) => v.sha256.slice(0, 12),
          });
        }
        const { body } = await api.get('/api/v1/blueprints/{name}/versions/{version}', {
          path: { name, version },
          accept: output.json ? 'application/json' : 'application/yaml',
        });
        if (typeof body === 'string') output.out(body.trimEnd());
        else printJson(output, body);
      },
    },
    {
      name: 'plan',
      usage:
        'syd blueprint plan NAME[@RANGE] [-p k=v]... [--env ENV] [--tier-env tier=ENV]... --environments FILE',
      summary: 'stages, instance types and exact costs for a placement',
      flags: [
        { name: 'param', short: 'p', kind: 'list', help: 'parameter value KEY=VALUE (repeatable)' },
        {
          name: 'env',
          kind: 'string',
          help: 'environment of every tier (default: the only one in the file)',
        },
        { name: 'tier-env', kind: 'list', help: 'TIER=ENV for a tier elsewhere (repeatable)' },
        { name: 'environments', kind: 'string', help: 'JSON/YAML list of environment price lists' },
      ],
      async run({ api, output, args, flags }) {
        const { name, version } = nameAndVersion(args);
        const file = str(flags, 'environments');
        const environments = file ? readEnvironments(file) : undefined;
        const only = environments?.length === 1 ? environments[0]?.name : undefined;
        const env = str(flags, 'env') ?? (typeof only === 'string' ? only : undefined);
        if (env === undefined) throw new UsageError('--env ENV is required (or a file with one environment)');
        const declared = await parameterSpecs(api, name, version);
        const { body: plan } = await api.post('/api/v1/blueprints/{name}/versions/{version}/plan', {
          path: { name, version },
          body: {
            parameters: typedParameters(parsePairs(list(flags, 'param'), '-p'), declared),
            placement: {
              default: env,
              tiers: Object.fromEntries(parsePairs(list(flags, 'tier-env'), '--tier-env')),
            },
            environments,
          },
        });
        if (output.json) return printJson(output, plan);
        printTable(output, plan.tiers, {
          STAGE: (t) => t.stage,
          TIER: (t) => t.tier,
          ENVIRONMENT: (t) => t.environment,
          TYPE: (t) => t.instanceType.name,
          COUNT: (t) => t.count,
          HOURLY: (t) => hourlyAmount(t.total.hourly),
          MONTHLY: (t) => centsAmount(t.total.monthly),
        });
        output.out(`total: ${costLine(plan.total.hourly, plan.total.monthly)}`);
      },
    },
  ],
};
