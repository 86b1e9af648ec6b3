/** Where the guest side of the policy lives in every VM (see cloud-init.util.ts). */
export const GUEST_PATHS = {
  ruleset: '/etc/switchyard/nftables.nft',
  etag: '/etc/switchyard/nftables.etag',
  url: '/etc/switchyard/policy-url',
  auth: '/etc/switchyard/policy-auth',
  script: '/usr/local/sbin/switchyard-policy-pull',
} as const;

/** Seconds between two pulls. */
export const PULL_INTERVAL_SECONDS = 10;

/**
 * The policy pull, POSIX sh: loads the ruleset it holds, then every few seconds asks the API for
 * this instance's ruleset with the instance token (a header file, so the token is in no process's
 * arguments) and the ETag it holds; only a changed text (200) is checked with `nft -c` and loaded
 * with `nft -f` (atomic: the table is replaced in one transaction); 304 or a failed call keep the
 * rules in force. One copy runs at a time (flock when the system has it).
 */
export const POLICY_PULL_SCRIPT = `#!/bin/sh
# Switchyard policy pull: keeps this instance's nftables rules equal to its policy in Switchyard.
# SWITCHYARD_POLICY_DIR and SWITCHYARD_POLICY_INTERVAL exist for tests; cloud-init sets neither.
set -u
dir=\${SWITCHYARD_POLICY_DIR:-/etc/switchyard}
interval=\${SWITCHYARD_POLICY_INTERVAL:-${PULL_INTERVAL_SECONDS}}
if command -v flock >/dev/null 2>&1; then
  exec 9>"$dir/policy-pull.lock"
  flock -n 9 || exit 0
fi
url=$(cat "$dir/policy-url")
if [ -f "$dir/nftables.nft" ]; then nft -f "$dir/nftables.nft"; fi
while :; do
  set -- -sS --max-time 10 -o "$dir/nftables.next" -D "$dir/nftables.headers" -w '%{http_code}' -H @"$dir/policy-auth"
  if [ -s "$dir/nftables.etag" ]; then set -- "$@" -H "If-None-Match: $(cat "$dir/nftables.etag")"; fi
  status=$(curl "$@" "$url") || status=000
  if [ "$status" = 200 ] && nft -c -f "$dir/nftables.next" && nft -f "$dir/nftables.next"; then
    mv "$dir/nftables.next" "$dir/nftables.nft"
    sed -n 's/^[Ee][Tt][Aa][Gg]:[[:space:]]*//p' "$dir/nftables.headers" | tr -d '\\r' > "$dir/nftables.etag"
  fi
  rm -f "$dir/nftables.next" "$dir/nftables.headers"
  sleep "$interval"
done
`;

/**
 * bootcmd runs at every boot but before write_files: on the first boot neither the ruleset nor the
 * script is there yet, so the loader waits (in the background) for the script that write_files puts
 * down a moment later; on every later boot the ruleset loads at once, before the network services.
 */
export const BOOTCMD = [
  ['sh', '-c', `if [ -f ${GUEST_PATHS.ruleset} ]; then nft -f ${GUEST_PATHS.ruleset}; fi`],
  [
    'sh',
    '-c',
    `nohup sh -c 'until [ -x ${GUEST_PATHS.script} ]; do sleep 1; done; exec ${GUEST_PATHS.script}' >/dev/null 2>&1 &`,
  ],
];
