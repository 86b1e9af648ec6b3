import type { Command } from '../../core/command.js';
import { str, UsageError } from '../../core/flags.js';
import { printJson } from '../../core/output.js';

/** `syd deployment extend ID --hours N`: a longer lease, within the tenant's maximum. */
export const extendCommand: Command = {
  name: 'extend',
  usage: 'syd deployment extend ID --hours N',
  summary: "extend a deployment's lease (the orderer or an operator; within the tenant's maximum)",
  flags: [{ name: 'hours', kind: 'string', help: 'hours to add' }],
  async run(ctx) {
    const id = ctx.args[0];
    if (!id) throw new UsageError('ID is required');
    const hours = str(ctx.flags, 'hours');
    if (!hours || !/^\d+$/.test(hours)) throw new UsageError('--hours N is required (a whole number)');
    const { body } = await ctx.api.post('/api/v1/deployments/{id}/lease', {
      path: { id },
      body: { hours: Number(hours) },
    });
    if (ctx.output.json) return printJson(ctx.output, body);
    const max = body.maxLeaseHours === null ? 'no maximum' : `maximum ${body.maxLeaseHours} h`;
    ctx.output.out(`${body.id} lease ${body.leaseHours} h, ends ${body.leaseExpiresAt} (${max})`);
  },
};
