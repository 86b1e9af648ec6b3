# Source me: the peers' URLs and test credentials (defaults match tools/peers/up.sh).
_sy_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export MOTO_URL=${MOTO_URL:-http://127.0.0.1:4566}
export OS_AUTH_URL=${OS_AUTH_URL:-http://127.0.0.1:5000/v3}
[ -f "$_sy_root/.switchyard/peers/peers.env" ] && . "$_sy_root/.switchyard/peers/peers.env"
unset _sy_root
