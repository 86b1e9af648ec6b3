#!/bin/bash
# ostack-up.sh - minimal real OpenStack (Zed, Debian bookworm packages) on loopback:
#   keystone + placement + glance(file) + nova(api/conductor/scheduler/compute FakeDriver)
#   + neutron-server (ML2/OVS, no dataplane) + heartbeat-only fake OVS agent
#   MariaDB + RabbitMQ, everything bound to 127.0.0.1.
# Usage: OSD=${TMPDIR:-/tmp}/switchyard-openstack ./ostack-up.sh ; stop with ./ostack-down.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OSD=${OSD:-${TMPDIR:-/tmp}/switchyard-openstack}
PY=/usr/bin/python3            # Debian's python, not a pyenv shim
PW=secret
DBU="mysql+pymysql://os:$PW@127.0.0.1"
RABBIT="rabbit://guest:guest@127.0.0.1:5672/"
T0=$(date +%s)
stamp() { echo "[ostack +$(( $(date +%s) - T0 ))s] $*"; }
mkdir -p $OSD/{etc/keystone,etc/placement,etc/nova,etc/glance,etc/neutron,log,run} \
         $OSD/data/{nova/instances,nova/lock,glance/images,glance/lock,neutron/lock}

# ---------------------------------------------------------------- packages
PKGS="python3-keystone nova-common nova-api nova-conductor nova-scheduler python3-placement
      glance-common python3-neutron neutron-common python3-openstackclient rabbitmq-server mariadb-server
      uwsgi uwsgi-plugin-python3"
if ! dpkg -s $PKGS >/dev/null 2>&1; then
  stamp "apt-get install (several minutes)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PKGS >$OSD/log/apt.log 2>&1
fi

start() { local name=$1; shift; nohup "$@" >$OSD/log/$name.log 2>&1 & echo $! >$OSD/run/$name.pid; }
wait_http() { for _ in $(seq 1 240); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; echo "timeout $1" >&2; return 1; }
uwsgi_app() { # name port wsgi-file [processes] [threads]
  start $1 uwsgi --plugin python3 --http-socket 127.0.0.1:$2 --wsgi-file $3 --master --processes ${4:-1} \
    --threads ${5:-4} --lazy-apps --die-on-term --post-buffering 65536 --add-header 'Connection: close'
}

# ---------------------------------------------------------------- mariadb + rabbitmq
stamp "mariadb + rabbitmq"
if ! mysqladmin ping >/dev/null 2>&1; then
  start mariadb mariadbd-safe --bind-address=127.0.0.1 --innodb-flush-log-at-trx-commit=0 --max-connections=500
fi
export ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODENAME=rabbit@localhost \
       RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
port_open() { (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; }
# a machine may already run RabbitMQ (guest/guest on 5672): use it rather than start a second one
port_open 5672 || { rabbitmq-server -detached && touch $OSD/run/rabbit.started; }
for _ in $(seq 1 60); do mysqladmin ping >/dev/null 2>&1 && break; sleep 0.5; done
for db in keystone placement glance nova nova_api nova_cell0 neutron; do
  mysql -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db;
            GRANT ALL ON $db.* TO 'os'@'127.0.0.1' IDENTIFIED BY '$PW';
            GRANT ALL ON $db.* TO 'os'@'localhost' IDENTIFIED BY '$PW';"
done

# ---------------------------------------------------------------- config files
authtoken() { cat <<EOF
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000/v3
auth_url = http://127.0.0.1:5000/v3
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $PW
EOF
}
svcauth() { cat <<EOF
[$1]
auth_url = http://127.0.0.1:5000/v3
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $PW
region_name = RegionOne
EOF
}
cat >$OSD/etc/keystone/keystone.conf <<EOF
[database]
connection = $DBU/keystone
[token]
provider = fernet
[fernet_tokens]
key_repository = $OSD/data/fernet-keys
[credential]
key_repository = $OSD/data/credential-keys
EOF
{ cat <<EOF
[api]
auth_strategy = keystone
[placement_database]
connection = $DBU/placement
EOF
authtoken placement; } >$OSD/etc/placement/placement.conf
{ cat <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
[database]
connection = $DBU/glance
[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = $OSD/data/glance/images
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $OSD/data/glance/lock
[oslo_messaging_notifications]
driver = noop
EOF
authtoken glance; } >$OSD/etc/glance/glance-api.conf
cp /etc/nova/api-paste.ini $OSD/etc/nova/api-paste.ini
{ cat <<EOF
[DEFAULT]
transport_url = $RABBIT
my_ip = 127.0.0.1
host = fakehost
compute_driver = fake.FakeDriver
state_path = $OSD/data/nova
instances_path = $OSD/data/nova/instances
[api]
auth_strategy = keystone
[api_database]
connection = $DBU/nova_api
[database]
connection = $DBU/nova
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 2
[oslo_concurrency]
lock_path = $OSD/data/nova/lock
[oslo_messaging_notifications]
driver = noop
[vnc]
enabled = false
[wsgi]
api_paste_config = $OSD/etc/nova/api-paste.ini
[glance]
region_name = RegionOne
[cinder]
os_region_name = RegionOne
EOF
authtoken nova; svcauth placement placement; svcauth neutron neutron; } >$OSD/etc/nova/nova.conf
{ cat <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9696
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = $RABBIT
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 1
state_path = $OSD/data/neutron
api_paste_config = /etc/neutron/api-paste.ini
[database]
connection = $DBU/neutron
[oslo_concurrency]
lock_path = $OSD/data/neutron/lock
[oslo_messaging_notifications]
driver = noop
[ml2]
type_drivers = flat,vlan,vxlan
tenant_network_types = vxlan
mechanism_drivers = openvswitch
extension_drivers = port_security
[ml2_type_vxlan]
vni_ranges = 1:1000
[ml2_type_flat]
flat_networks = *
[ml2_type_vlan]
network_vlan_ranges = physnet1:100:200
[securitygroup]
firewall_driver = noop
EOF
authtoken neutron; } >$OSD/etc/neutron/neutron.conf

# ---------------------------------------------------------------- schema migrations (parallel)
stamp "db sync"
K="keystone-manage --config-file $OSD/etc/keystone/keystone.conf"
N="nova-manage --config-file $OSD/etc/nova/nova.conf"
( $K db_sync && $K fernet_setup --keystone-user root --keystone-group root &&
  $K credential_setup --keystone-user root --keystone-group root &&
  $K bootstrap --bootstrap-password $PW --bootstrap-region-id RegionOne \
     --bootstrap-admin-url http://127.0.0.1:5000/v3/ --bootstrap-internal-url http://127.0.0.1:5000/v3/ \
     --bootstrap-public-url http://127.0.0.1:5000/v3/ ) >$OSD/log/keystone-manage.log 2>&1 & p1=$!
( $N api_db sync && $N cell_v2 map_cell0 --database_connection $DBU/nova_cell0 &&
  $N cell_v2 create_cell --name=cell1 && $N db sync ) >$OSD/log/nova-manage.log 2>&1 & p2=$!
( placement-manage --config-file $OSD/etc/placement/placement.conf db sync &&
  glance-manage --config-file $OSD/etc/glance/glance-api.conf db_sync &&
  neutron-db-manage --config-file $OSD/etc/neutron/neutron.conf upgrade head ) >$OSD/log/other-manage.log 2>&1 & p3=$!
wait $p1; wait $p2; wait $p3

# ---------------------------------------------------------------- services
stamp "keystone"
OS_KEYSTONE_CONFIG_DIR=$OSD/etc/keystone uwsgi_app keystone 5000 /usr/bin/keystone-wsgi-public
wait_http http://127.0.0.1:5000/v3
$PY $HERE/ostack-seed.py >$OSD/log/seed.log 2>&1      # service users + catalog
stamp "placement, glance, neutron, nova"
OS_PLACEMENT_CONFIG_DIR=$OSD/etc/placement uwsgi_app placement 8778 /usr/bin/placement-api
OS_NOVA_CONFIG_DIR=$OSD/etc/nova uwsgi_app nova-api 8774 /usr/bin/nova-api-wsgi 2 1   # eventlet: no uwsgi threads
start glance-api $PY -c "import sys; from glance.cmd.api import main; sys.argv=['glance-api','--config-file','$OSD/etc/glance/glance-api.conf']; sys.exit(main())"
start neutron-server neutron-server --config-file $OSD/etc/neutron/neutron.conf
for _ in $(seq 1 60); do port_open 5672 && break; sleep 1; done
wait_http http://127.0.0.1:8778/
for s in conductor scheduler compute; do
  start nova-$s $PY -c "import sys; from nova.cmd.$s import main; sys.argv=['nova-$s','--config-file','$OSD/etc/nova/nova.conf']; sys.exit(main())"
done
start fake-ovs-agent $PY $HERE/fake_ovs_agent.py --config-file $OSD/etc/neutron/neutron.conf
for u in 8774 9292 9696; do wait_http http://127.0.0.1:$u/; done
stamp "waiting for compute host mapping"
for _ in $(seq 1 120); do
  hosts=$($N cell_v2 list_hosts 2>/dev/null || true); [[ $hosts == *fakehost* ]] && break; sleep 1
done
[[ $hosts == *fakehost* ]] || { echo "nova-compute never got mapped" >&2; exit 1; }
$PY $HERE/ostack-seed.py --resources >>$OSD/log/seed.log 2>&1
stamp "ready: OS_AUTH_URL=http://127.0.0.1:5000/v3 admin/$PW project admin, domain default"
