import type { CniContext } from './cni-context.js';
import { CniCode, CniError } from './cni-error.js';
import { missingTools } from './container-netns.js';

/**
 * STATUS: ready when the kernel tools answer and Switchyard answers for the configured network with
 * this token; otherwise code 50 (cannot serve ADD), saying why.
 */
export async function statusCommand(ctx: CniContext): Promise<void> {
  const tools = await missingTools();
  if (tools.length > 0) {
    throw new CniError(
      CniCode.NotAvailable,
      'the plugin is not available',
      `missing on this host: ${tools.join(', ')}`,
    );
  }
  try {
    await ctx.api.network(ctx.cfg.tenant, ctx.cfg.network);
  } catch (err) {
    const why = err instanceof CniError ? `${err.msg}: ${err.details}` : String(err);
    throw new CniError(CniCode.NotAvailable, 'the plugin is not available', why);
  }
}
