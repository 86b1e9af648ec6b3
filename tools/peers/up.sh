#!/bin/bash
# Starts the cloud peers the contract suite runs against, on loopback:
#   moto (AWS EC2)  http://127.0.0.1:4566            ~1.5 s, ~200 MB
#   vcsim (vSphere) https://127.0.0.1:8989/sdk       ~0.3 s (first build 40-100 s), ~22 MB
#   OpenStack       http://127.0.0.1:5000/v3          ~90-150 s boot (+ ~6 min apt once), ~1.75 GB
# Usage: tools/peers/up.sh [moto] [vcsim] [openstack]   (no argument: all three)
# Writes PIDs and logs under .switchyard/peers/ and the URLs to .switchyard/peers/peers.env
# (tools/peers/env.sh exports them); openstack.started holds the PID of the up.sh that booted
# OpenStack. Stop with tools/peers/down.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$ROOT/.switchyard/peers
mkdir -p "$RUN"
WANT=${*:-moto vcsim openstack}
T0=$(date +%s)
say() { echo "[peers +$(( $(date +%s) - T0 ))s] $*"; }
up() { curl -sfk -o /dev/null "$1"; }
wait_up() { for _ in $(seq 1 ${2:-150}); do up "$1" && return 0; sleep 0.2; done; echo "timeout waiting for $1" >&2; return 1; }
ENV=$RUN/peers.env
touch "$ENV"
setenv() { grep -v "^export $1=" "$ENV" >"$ENV.tmp" || true; echo "export $1='$2'" >>"$ENV.tmp"; mv "$ENV.tmp" "$ENV"; }

if [[ " $WANT " == *" moto "* ]]; then
  if up http://127.0.0.1:4566/moto-api/; then say "moto already running"; else
    python3 -c 'import moto.server' 2>/dev/null || {
      echo "moto is missing: it belongs to this machine image (pip install 'moto[server]' elsewhere)" >&2; exit 1; }
    nohup python3 -m moto.server -H 127.0.0.1 -p 4566 >"$RUN/moto.log" 2>&1 & echo $! >"$RUN/moto.pid"
    wait_up http://127.0.0.1:4566/moto-api/ && say "moto ready"
  fi
  setenv MOTO_URL http://127.0.0.1:4566
fi

if [[ " $WANT " == *" vcsim "* ]]; then
  CERT=$ROOT/.switchyard/cache/vcsim-cert
  "$ROOT/tools/peers/vcsim-cert.sh" "$CERT"
  if up https://127.0.0.1:8989/about; then say "vcsim already running"; else
    BIN=$("$ROOT/tools/peers/build-vcsim.sh")
    nohup "$BIN" -listen 127.0.0.1:8989 -username switchyard -password vcsim-secret \
      -cert "$CERT/cert.pem" -key "$CERT/key.pem" >"$RUN/vcsim.log" 2>&1 & echo $! >"$RUN/vcsim.pid"
    wait_up https://127.0.0.1:8989/about && say "vcsim ready"
  fi
  setenv VCSIM_URL https://127.0.0.1:8989/sdk
  setenv VCSIM_USERNAME switchyard
  setenv VCSIM_PASSWORD vcsim-secret
  setenv VCSIM_CA_CERT "$CERT/cert.pem"
fi

if [[ " $WANT " == *" openstack "* ]]; then
  # one boot at a time: another up.sh (CI, npm test, a person) waits, then finds it running
  exec 9>"$RUN/openstack.lock"
  flock -n 9 || { say "OpenStack: another boot is under way; waiting for it"; flock 9; }
  if up http://127.0.0.1:5000/v3; then say "OpenStack already running"; else
    say "OpenStack: booting (log: $RUN/openstack.log)"
    # who started it (this script), written first so that down.sh also stops a boot that failed
    echo $$ >"$RUN/openstack.started"
    # 9>&-: the services it leaves running must not hold the lock
    OSD=$ROOT/.switchyard/openstack "$ROOT/tools/peers/openstack/ostack-up.sh" 9>&- >"$RUN/openstack.log" 2>&1 || {
      tail -20 "$RUN/openstack.log" >&2; exit 1; }
    say "OpenStack ready"
  fi
  exec 9>&-
  setenv OS_AUTH_URL http://127.0.0.1:5000/v3
  setenv OS_USERNAME admin
  setenv OS_PASSWORD secret
  setenv OS_PROJECT_NAME admin
fi
say "done; source tools/peers/env.sh"
