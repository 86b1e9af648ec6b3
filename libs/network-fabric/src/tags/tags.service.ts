import { FabricError } from '../errors/fabric.exception.js';
import { formatTagSpans, toSpans } from '../addressing/range-list.util.js';
import type { GlobalConfig, NetworkConfig } from '../model/objects.model.js';
import type { Db } from '../store/db.util.js';
import { VLAN_LIMITS, parseTagRange } from '../addressing/tag-range.util.js';
import { countNetworksByEncap, insertTag, lowestFreeTag, tagHolder, tagsInUse } from './tags.repository.js';

/**
 * Takes the network's tag from the global pool of its encap (pktTag 0: lowest free) and, for
 * vxlan, a local VLAN. Caller holds the fabric_global row lock, so ranges cannot change meanwhile.
 */
export async function allocateNetworkTags(
  db: Db,
  global: GlobalConfig,
  net: NetworkConfig,
  networkId: string,
): Promise<void> {
  const space = net.encap === 'vxlan' ? 'vxlan' : 'vlan';
  const rangeText = space === 'vlan' ? global.vlans : global.vxlans;
  const range = parseTagRange(rangeText);
  if (!range) throw new Error(`stored global ${space}s range "${rangeText}" does not parse`);
  let tag: number;
  if (net.pktTag !== 0) {
    if (BigInt(net.pktTag) < range.start || BigInt(net.pktTag) > range.end) {
      const message = `${space} ${net.pktTag} is outside the configured ${space}s range ${rangeText}`;
      throw FabricError.invalid([{ path: 'pktTag', message }], 'network');
    }
    const holder = await tagHolder(db, space, net.pktTag);
    if (holder) {
      const message = `${space} ${net.pktTag} is in use by network ${holder}`;
      throw FabricError.conflict(message, { issues: [{ path: 'pktTag', message }] });
    }
    tag = net.pktTag;
  } else {
    const free = await lowestFreeTag(db, space, range);
    if (free === undefined)
      throw FabricError.exhausted(`no free ${space} left in the ${space}s range ${rangeText}`);
    tag = free;
  }
  await insertTag(db, space, tag, networkId);
  if (space === 'vxlan') {
    const local = await lowestFreeTag(db, 'local-vlan', {
      start: BigInt(VLAN_LIMITS.min),
      end: BigInt(VLAN_LIMITS.max),
    });
    if (local === undefined)
      throw FabricError.exhausted(`no free local VLAN left for vxlan networks (1-4094)`);
    await insertTag(db, 'local-vlan', local, networkId);
  }
}

/**
 * Refuses a global change that would strand existing networks: fwdMode or pvtSubnet while any
 * network exists, or a vlan/vxlan range that no longer covers a tag in use. Caller holds the lock.
 */
export async function checkGlobalChange(db: Db, before: GlobalConfig, after: GlobalConfig): Promise<void> {
  const issues = [];
  const changed = (['fwdMode', 'pvtSubnet'] as const).filter((f) => before[f] !== after[f]);
  if (changed.length > 0) {
    const counts = await countNetworksByEncap(db);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > 0) {
      const detail = Object.entries(counts)
        .map(([encap, n]) => `${n} ${encap}`)
        .join(', ');
      for (const f of changed) {
        issues.push({
          path: f,
          message: `cannot change while ${total} network${total === 1 ? '' : 's'} exist (${detail}); delete them first`,
        });
      }
    }
  }
  for (const space of ['vlan', 'vxlan'] as const) {
    const field = space === 'vlan' ? 'vlans' : 'vxlans';
    const range = parseTagRange(after[field]);
    if (!range || before[field] === after[field]) continue;
    const outside = (await tagsInUse(db, space)).filter(
      (t) => BigInt(t) < range.start || BigInt(t) > range.end,
    );
    if (outside.length > 0) {
      const list = formatTagSpans(toSpans(outside.map(BigInt)));
      issues.push({
        path: field,
        message: `range ${after[field]} does not cover ${space} tags in use: ${list}`,
      });
    }
  }
  if (issues.length > 0) {
    throw FabricError.conflict(
      `global change refused: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      {
        issues,
      },
    );
  }
}
