/**
 * The table that keeps a network's instances off the host: nothing from its bridge reaches the
 * host's own addresses (the gateway included) or is routed to another network; traffic between
 * the bridge's ports (instances, the VXLAN device) is bridged and untouched. Only the answers to
 * connections the host itself opened come in (conntrack's established/related): a worker on this
 * host that loads an instance must hear its replies, while an instance still opens nothing here.
 */
export function hostGuardRuleset(table: string, bridge: string): string {
  return [
    `table inet ${table} {`,
    '  chain input {',
    '    type filter hook input priority -10; policy accept;',
    `    iifname "${bridge}" ct state established,related accept`,
    `    iifname "${bridge}" drop`,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority -10; policy accept;',
    // (with br_netfilter loaded, bridged packets pass here with the bridge as both names)
    `    iifname "${bridge}" oifname != "${bridge}" drop`,
    `    oifname "${bridge}" iifname != "${bridge}" drop`,
    '  }',
    '}',
    '',
  ].join('\n');
}
