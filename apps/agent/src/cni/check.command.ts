import { bridgeNameFor } from './attachment-names.js';
import type { CniContext } from './cni-context.js';
import { CniCode, CniError } from './cni-error.js';
import { containerSide } from './cni-result.js';
import * as container from './container-netns.js';
import * as host from './host-side.js';
import { ensureRuleset } from './ruleset-sync.js';

const mismatch = (details: string) =>
  new CniError(CniCode.InterfaceMismatch, 'the attachment is not as ADD left it', details);

/**
 * CHECK: the interface prevResult lists is in the namespace with its MAC and addresses, up, its
 * host end on the network's bridge; the fabric still holds the address; the tenant's ruleset is
 * loaded (reloaded when missing or changed, which is not an error). Routes are not compared: a
 * later plugin of the chain may change them.
 */
export async function checkCommand(ctx: CniContext): Promise<void> {
  const { inv, cfg, store, api } = ctx;
  if (!cfg.prevResult) {
    throw new CniError(
      CniCode.InvalidConfig,
      'invalid network configuration',
      'prevResult: is required for CHECK',
    );
  }
  const record = await store.get(inv.containerId, inv.ifname);
  if (!record) throw mismatch(`no attachment of ${inv.containerId}/${inv.ifname} is recorded on this host`);
  const expected = containerSide(cfg.prevResult, inv.ifname, inv.netns);
  if (!expected) throw mismatch(`prevResult lists no interface ${inv.ifname} in ${inv.netns}`);
  if (!container.netnsExists(inv.netns)) throw mismatch(`the namespace ${inv.netns} is gone`);
  const actual = await container.containerInterface(inv.netns, inv.ifname);
  if (!actual) throw mismatch(`${inv.ifname} is missing from ${inv.netns}`);
  if (expected.mac && actual.mac !== expected.mac.toLowerCase()) {
    throw mismatch(`${inv.ifname} has MAC ${actual.mac}, not ${expected.mac}`);
  }
  const missing = expected.addresses.filter((a) => !actual.addresses.includes(a));
  if (missing.length > 0) throw mismatch(`${inv.ifname} lacks ${missing.join(', ')}`);
  if (!actual.up) throw mismatch(`${inv.ifname} is down`);
  const bridge =
    record.bridge ?? bridgeNameFor(cfg.namePrefix, await api.network(record.tenant, record.network));
  if (!(await host.hostLinkExists(record.hostIfname)))
    throw mismatch(`the host end ${record.hostIfname} is missing`);
  const master = await host.masterOf(record.hostIfname);
  if (master !== bridge) throw mismatch(`the host end ${record.hostIfname} is on "${master}", not ${bridge}`);
  if (!(await api.endpointExists(record.tenant, record.endpointId))) {
    throw new CniError(
      CniCode.ReservationMissing,
      'the fabric no longer holds the address',
      `endpoint ${record.endpointId}`,
    );
  }
  await ensureRuleset(ctx, record);
}
