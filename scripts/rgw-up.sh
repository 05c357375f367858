#!/usr/bin/env bash
# rgw-up.sh DATA_DIR PORT
#
# Starts a throwaway single-node Ceph cluster (1 mon, 1 memstore OSD, no mgr,
# no cephx) plus radosgw serving S3 on http://127.0.0.1:PORT, for tests.
# PORT 0 means "pick a free port". Everything lives under DATA_DIR (config,
# mon store, logs, pids); objects are kept in RAM. Stop with rgw-down.sh.
#
# stdout, exactly these lines (safe to `eval`):
#   ENDPOINT=http://127.0.0.1:PORT
#   ACCESS_KEY=...
#   SECRET_KEY=...
#   REGION=us-east-1
# Progress and errors go to stderr.
#
# If a cluster started by this script from DATA_DIR is still running and
# answering (on PORT, or on any port if PORT is 0), it is reused. Otherwise its
# recorded pids are stopped and DATA_DIR is wiped. A non-empty DATA_DIR that
# this script did not create is refused.
#
# Missing Debian packages are installed with apt-get (needs root or sudo).
# Environment: RGW_ACCESS_KEY, RGW_SECRET_KEY, RGW_MEMSTORE_BYTES (default
# 1 GiB), RGW_START_TIMEOUT (seconds, default 120).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 DATA_DIR PORT   (PORT 0 = any free port)" >&2; exit 2; }
WANT_PORT=$2
[[ $WANT_PORT =~ ^[0-9]+$ ]] && [ "$WANT_PORT" -le 65535 ] || { echo "bad PORT: $WANT_PORT" >&2; exit 2; }

ACCESS_KEY=${RGW_ACCESS_KEY:-TESTACCESSKEY0000001}
SECRET_KEY=${RGW_SECRET_KEY:-testsecretkey000000000000000000000000001}
MEMSTORE_BYTES=${RGW_MEMSTORE_BYTES:-1073741824}
TIMEOUT=${RGW_START_TIMEOUT:-120}
MARKER=.mediavault-rgw
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
PY=/usr/bin/python3   # the Debian interpreter: python3-rados is not in pyenv/venv builds

log() { echo "[rgw-up $(date +%T.%3N)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- packages
need=0
for c in ceph-mon ceph-osd radosgw radosgw-admin monmaptool curl; do
  command -v "$c" >/dev/null 2>&1 || need=1
done
[ -x $PY ] && $PY -c 'import rados' 2>/dev/null || need=1
if [ $need = 1 ]; then
  log "installing Debian packages (ceph-mon ceph-osd radosgw ceph-common python3-rados curl)"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" >&2; }
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends ceph-mon ceph-osd radosgw ceph-common python3-rados curl
fi

# ---------------------------------------------------------------- data dir
refuse() { # never "/", a top-level dir or a home dir
  [[ $1 =~ ^/[^/]*$ || $1 =~ ^/home/[^/]*$ || $1 == "${HOME:-/root}" ]] && die "refusing to use $1 as DATA_DIR"
  return 0
}
refuse "$(realpath -m -- "$1")"
mkdir -p "$1"
D=$(cd "$1" && pwd -P)
refuse "$D"
CONF=$D/ceph.conf
PIDS=$D/pids

# pid_ok NAME: the recorded pid is alive and was started with our ceph.conf
pid_ok() {
  local p
  p=$(cat "$PIDS/$1.pid" 2>/dev/null) && [[ $p =~ ^[0-9]+$ ]] &&
    tr '\0' '\n' 2>/dev/null <"/proc/$p/cmdline" | grep -qxF -- "$CONF"
}
# alive NAME: the recorded process still runs. Unlike pid_ok this holds in the instant after the
# fork, before exec has given the process its final command line (a busy machine widens that instant).
alive() {
  local p state
  p=$(cat "$PIDS/$1.pid" 2>/dev/null) && [[ $p =~ ^[0-9]+$ ]] || return 1
  state=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}
http_ok() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { $PY -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
print_env() {
  printf 'ENDPOINT=http://127.0.0.1:%s\nACCESS_KEY=%s\nSECRET_KEY=%s\nREGION=us-east-1\n' \
    "$PORT" "$ACCESS_KEY" "$SECRET_KEY"
}

if [ -f "$D/$MARKER" ]; then
  PORT=$(cat "$D/port" 2>/dev/null || true)
  if [ -n "$PORT" ] && { [ "$WANT_PORT" = 0 ] || [ "$WANT_PORT" = "$PORT" ]; } &&
     [ "$(cat "$D/keys" 2>/dev/null)" = "$ACCESS_KEY:$SECRET_KEY" ] &&
     pid_ok mon && pid_ok osd && pid_ok rgw && http_ok "$PORT"; then
    log "reusing the cluster already running from $D"
    print_env
    exit 0
  fi
  log "leftovers of an earlier run in $D: stopping recorded pids, wiping"
  "$HERE/rgw-down.sh" "$D" --wipe >&2
elif [ -n "$(ls -A "$D")" ]; then
  die "$D is not empty and was not created by $(basename "$0"); use a new or empty directory"
fi
if [ "$WANT_PORT" != 0 ] && port_busy "$WANT_PORT"; then
  die "port $WANT_PORT on 127.0.0.1 is already in use"
fi

touch "$D/$MARKER"
mkdir -p "$D/mon/a" "$D/osd/0" "$D/rgw" "$D/run" "$D/log" "$D/crash" "$PIDS"
echo "$ACCESS_KEY:$SECRET_KEY" >"$D/keys"

dump_logs() {
  local f
  for f in "$D"/log/*.out "$D"/log/{mon.a,osd.0,client.rgw}.log; do
    if [ -s "$f" ]; then echo "----- $f (tail)"; tail -n 8 "$f"; fi
  done >&2
}
on_exit() {
  local rc=$?
  [ $rc = 0 ] && return
  set +e
  log "failed (rc=$rc); log tails follow"; dump_logs
  "$HERE/rgw-down.sh" "$D" >&2 || true
}
trap on_exit EXIT

MON_PORT=$(free_port)
read -r FSID OSD_UUID < <($PY -c 'import uuid;print(uuid.uuid4(),uuid.uuid4())')

cat >"$CONF" <<EOF
# generated by rgw-up.sh: throwaway single-node cluster on loopback
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = $D/run
admin socket = $D/run/\$name.asok
pid file = $D/run/\$name.pid
log file = $D/log/\$name.log
crash dir = $D/crash
mon cluster log file = $D/log/cluster.\$channel.log
keyring = $D/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 1
mon data avail crit = 0
# commit map changes fast (default: 1 s per proposal)
paxos propose interval = 0.01
paxos min wait = 0.001

[mon]
mon data = $D/mon/\$id

[osd]
osd data = $D/osd/\$id
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
osd op num shards = 2
osd op num threads per shard = 1

[client]
# without cephx, clients (radosgw) must not insist on "secure" mode, or they loop on auth
ms mon client mode = crc
auth client required = none
rgw data = $D/rgw
rgw thread pool size = 16
rgw dns name =
rgw enable usage log = false
EOF
export CEPH_CONF=$CONF

start_daemon() { # start_daemon NAME CMD... : detached; pid recorded for rgw-down.sh
  local name=$1; shift
  setsid nohup "$@" </dev/null >>"$D/log/$name.out" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}
deadline=$((SECONDS + TIMEOUT))
in_time() { [ $SECONDS -lt $deadline ] || die "timeout waiting for $1"; }

# Cluster control over one librados connection.
#   setup OSD_UUID : register osd.0 and pre-create the rgw pools (lazy creation
#                    by radosgw costs seconds on the first requests)
#   wait-osd PID   : until the mon marks osd.0 up (a client whose first osdmap
#                    has no OSD up re-asks only on its 5 s tick)
ctl() {
  timeout "$TIMEOUT" $PY - "$@" >&2 <<'PY'
import json, os, sys, time, rados
mode, arg = sys.argv[1], sys.argv[2]
c = rados.Rados(conffile=os.environ["CEPH_CONF"])
c.connect(timeout=60)
def cmd(**kw):
    ret, out, err = c.mon_command(json.dumps(kw), b'')
    if ret != 0:
        sys.exit(f"mon command {kw} failed: {ret} {err}")
    return out
if mode == "setup":
    assert json.loads(cmd(prefix="osd new", uuid=arg, format="json"))["osdid"] == 0
    for p in [".rgw.root", "default.rgw.log", "default.rgw.control", "default.rgw.meta",
              "default.rgw.buckets.index", "default.rgw.buckets.data", "default.rgw.buckets.non-ec"]:
        cmd(prefix="osd pool create", pool=p, pg_num=8, pgp_num=8)
        cmd(prefix="osd pool application enable", pool=p, app="rgw", yes_i_really_mean_it=True)
else:
    while json.loads(cmd(prefix="osd stat", format="json")).get("num_up_osds", 0) < 1:
        try:
            state = open(f"/proc/{arg}/stat").read().rsplit(")", 1)[1].split()[0]
        except OSError:
            state = "gone"
        if state in ("Z", "gone"):
            sys.exit("ceph-osd exited")
        time.sleep(0.05)
c.shutdown()
PY
}

log "mon: mkfs, start on port $MON_PORT"
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$D/run/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$D/run/monmap" >>"$D/log/mon.out" 2>&1
start_daemon mon ceph-mon -c "$CONF" -i a -f
until port_busy "$MON_PORT"; do
  alive mon || die "ceph-mon exited"; in_time ceph-mon; sleep 0.02
done

log "register osd.0, create pools"
ctl setup "$OSD_UUID"
log "osd.0: mkfs (memstore), start, wait until up"
ceph-osd -i 0 --mkfs --osd-uuid "$OSD_UUID" >>"$D/log/osd.out" 2>&1
start_daemon osd ceph-osd -c "$CONF" -i 0 -f
ctl wait-osd "$(cat "$PIDS/osd.pid")"

# radosgw-admin also creates the default zonegroup/zone, so radosgw starts faster.
log "create S3 user"
timeout "$TIMEOUT" radosgw-admin user create --uid=testuser --display-name=testuser \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >"$D/log/user.json" 2>>"$D/log/radosgw-admin.out"

# The frontend is given on the command line so that, with PORT 0, a port taken
# between choosing and binding can be retried with another one.
for attempt in 1 2 3; do
  PORT=$WANT_PORT
  [ "$PORT" != 0 ] || PORT=$(free_port)
  log "radosgw: start on 127.0.0.1:$PORT"
  start_daemon rgw radosgw -c "$CONF" -n client.rgw -f "--rgw_frontends=beast endpoint=127.0.0.1:$PORT"
  until http_ok "$PORT"; do
    alive rgw || break; in_time radosgw; sleep 0.05
  done
  pid_ok rgw && http_ok "$PORT" && break
  [ "$WANT_PORT" = 0 ] && [ $attempt -lt 3 ] || die "radosgw exited (port $PORT taken?)"
  log "radosgw exited; retrying on another port"
done
echo "$PORT" >"$D/port"
log "ready: http://127.0.0.1:$PORT (data in $D)"
print_env | tee "$D/env"
