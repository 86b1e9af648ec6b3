#!/bin/bash
# Stops the peers tools/peers/up.sh started, by their recorded PIDs only.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$ROOT/.switchyard/peers
for name in moto vcsim; do
  f=$RUN/$name.pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null && for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$f"
done
if [ -f "$RUN/openstack.started" ]; then
  OSD=$ROOT/.switchyard/openstack "$ROOT/tools/peers/openstack/ostack-down.sh"
  rm -f "$RUN/openstack.started"
fi
rm -f "$RUN/peers.env"
