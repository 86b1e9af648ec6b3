import type { Command } from '../../core/command.js';
import { str, UsageError } from '../../core/flags.js';
import { printJson, printTable } from '../../core/output.js';
import {
  compact,
  createObject,
  deleteObject,
  inspectObject,
  listAll,
  needArgs,
  netObjectCommand,
} from './net-command.util.js';

// Per-host BGP settings, keyed by host name outside every tenant (admin to change). Switchyard
// stores them for netctl scripts and runs no BGP speaker; `inspect` says so.
export const bgpCommand: Command = netObjectCommand({
  name: 'bgp',
  summary: 'per-host BGP settings (stored, configure nothing here): create|rm|ls|inspect',
  flags: [
    { name: 'router-ip', kind: 'string', help: "the host's router address A.B.C.D/len" },
    { name: 'as', kind: 'string', help: "the host's AS number" },
    { name: 'neighbor-as', kind: 'string', help: "the neighbor's AS number" },
    { name: 'neighbor', kind: 'string', help: "the neighbor's IPv4 address" },
  ],
  actions: [
    {
      name: 'create',
      usage: 'syd net bgp create HOST --router-ip A.B.C.D/len --as AS [--neighbor-as AS --neighbor IP]',
      summary: 'create or replace the BGP settings of a host (admin)',
      async run(ctx) {
        const [hostname] = needArgs(ctx, ['HOST']) as [string];
        const body = compact({
          hostname,
          routerip: str(ctx.flags, 'router-ip'),
          as: str(ctx.flags, 'as'),
          'neighbor-as': str(ctx.flags, 'neighbor-as'),
          neighbor: str(ctx.flags, 'neighbor'),
        });
        await createObject(ctx, 'Bgps', hostname, body);
      },
    },
    {
      name: 'rm',
      aliases: ['delete'],
      usage: 'syd net bgp rm HOST',
      summary: 'delete the BGP settings of a host (admin)',
      async run(ctx) {
        const [hostname] = needArgs(ctx, ['HOST']) as [string];
        await deleteObject(ctx, 'Bgps', hostname);
      },
    },
    {
      name: 'ls',
      aliases: ['list'],
      usage: 'syd net bgp ls',
      summary: 'BGP settings of every host',
      async run(ctx) {
        needArgs(ctx, []);
        const body = await listAll(ctx, 'Bgps');
        if (ctx.output.json) return printJson(ctx.output, body);
        printTable(ctx.output, body, {
          HOSTNAME: (b) => b.hostname,
          'ROUTER IP': (b) => b.routerip,
          AS: (b) => b.as,
          NEIGHBOR: (b) => b.neighbor,
          'NEIGHBOR AS': (b) => b['neighbor-as'],
        });
      },
    },
    {
      name: 'inspect',
      usage: 'syd net bgp inspect HOST',
      summary: 'the settings of a host, and the (absent) BGP state',
      async run(ctx) {
        const [hostname] = needArgs(ctx, ['HOST']) as [string];
        await inspectObject(ctx, 'Bgps', hostname);
      },
    },
  ],
});

// netctl's `endpoint inspect ID`: by endpoint or container id, in every tenant the token may see.
export const endpointCommand: Command = netObjectCommand({
  name: 'endpoint',
  aliases: ['ep'],
  summary: 'attached containers and VMs: inspect',
  flags: [],
  actions: [
    {
      name: 'inspect',
      usage: 'syd net endpoint inspect ID',
      summary: 'addresses, MAC, group and host of an endpoint (by id or container id)',
      async run(ctx) {
        const [id] = needArgs(ctx, ['ID']) as [string];
        const { body } = await ctx.api.get('/netmaster/api/v1/inspect/endpoints/{id}', {
          path: { id },
          trailingSlash: true,
        });
        if (ctx.output.json) return printJson(ctx.output, body);
        const rows = Object.entries(body.Oper).map(([k, v]) => ({ k, v }));
        printTable(ctx.output, rows, { FIELD: (r) => r.k, VALUE: (r) => r.v });
      },
    },
  ],
});

export const versionCommand: Command = {
  name: 'version',
  usage: 'syd net version',
  summary: "the fabric server's version (netctl version)",
  async run({ api, output, args }) {
    if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
    const { body } = await api.get('/netmaster/version');
    if (output.json) return printJson(output, body);
    output.out(
      `Server Version:\nVersion: ${body.Version}\nGitCommit: ${body.GitCommit}\nBuildTime: ${body.BuildTime}`,
    );
  },
};
