#!/bin/bash
# Builds govmomi's vcsim offline from Debian's packages with tools/vcsim/main.go and caches the
# binary by the launcher's hash and the package version. Prints the binary's path.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${SWITCHYARD_CACHE:-$ROOT/.switchyard/cache}
PKGS="golang-go golang-github-vmware-govmomi-dev"
if ! dpkg -s $PKGS >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "vcsim: install $PKGS (needs root)" >&2; exit 1; }
  echo "vcsim: apt-get install $PKGS" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PKGS >&2
fi
VER=$(dpkg-query -W -f '${Version}' golang-github-vmware-govmomi-dev)
HASH=$(sha256sum "$ROOT/tools/vcsim/main.go" | cut -c1-12)
BIN=$CACHE/vcsim-$VER-$HASH
if [ ! -x "$BIN" ]; then
  mkdir -p "$CACHE"
  echo "vcsim: building $BIN (first build 40-100 s)" >&2
  (cd "$ROOT" && GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= \
     GOCACHE=$CACHE/go-build go build -o "$BIN.tmp.$$" ./tools/vcsim) >&2
  mv "$BIN.tmp.$$" "$BIN"
fi
echo "$BIN"
