#!/bin/bash
# A throwaway P-256 certificate for vcsim (its built-in one is RSA-1024 and lacks localhost).
set -euo pipefail
DIR=${1:?usage: vcsim-cert.sh DIR}
mkdir -p "$DIR"
[ -s "$DIR/cert.pem" ] && [ -s "$DIR/key.pem" ] && exit 0
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$DIR/key.pem" \
  -out "$DIR/cert.pem" -days 30 -subj /CN=vcsim-test \
  -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' 2>/dev/null
