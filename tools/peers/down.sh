#!/bin/bash
# Stops the peers tools/peers/up.sh started, by their recorded PIDs only.
# Usage: tools/peers/down.sh [moto] [vcsim] [openstack]   (no argument: all three)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$ROOT/.switchyard/peers
WANT=${*:-moto vcsim openstack}
ENV=$RUN/peers.env
# forgets a stopped peer's variables in peers.env
unsetenv() { [ -f "$ENV" ] || return 0; grep -v "^export $1" "$ENV" >"$ENV.tmp" || true; mv "$ENV.tmp" "$ENV"; }
for name in moto vcsim; do
  [[ " $WANT " == *" $name "* ]] || continue
  f=$RUN/$name.pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null && for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$f"
done
if [[ " $WANT " == *" openstack "* ]] && [ -f "$RUN/openstack.started" ]; then
  OSD=$ROOT/.switchyard/openstack "$ROOT/tools/peers/openstack/ostack-down.sh"
  rm -f "$RUN/openstack.started"
fi
if [ -z "$*" ]; then rm -f "$ENV"; else
  [[ " $WANT " == *" moto "* ]] && unsetenv MOTO_
  [[ " $WANT " == *" vcsim "* ]] && unsetenv VCSIM_
  [[ " $WANT " == *" openstack "* ]] && unsetenv OS_
fi
true
