#!/usr/bin/env bash
# rgw-down.sh DATA_DIR [--wipe]
#
# Stops the cluster rgw-up.sh started from DATA_DIR. Only the pids recorded in
# DATA_DIR/pids are signalled, and only while they are still processes started
# with DATA_DIR/ceph.conf (never kills by name). radosgw goes first (its
# shutdown talks to mon/osd), then osd and mon; SIGTERM, then SIGKILL after
# RGW_STOP_GRACE seconds (default 5). --wipe deletes DATA_DIR's contents.
set -uo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] && [ "${2:---wipe}" = --wipe ] ||
  { echo "usage: $0 DATA_DIR [--wipe]" >&2; exit 2; }
[ -d "$1" ] || { echo "rgw-down: $1: no such directory, nothing to stop" >&2; exit 0; }
D=$(cd "$1" && pwd -P)
CONF=$D/ceph.conf
GRACE=${RGW_STOP_GRACE:-5}
if [ ! -f "$D/.mediavault-rgw" ]; then
  [ -z "$(ls -A "$D")" ] && exit 0   # already wiped
  echo "rgw-down: $D was not created by rgw-up.sh, not touching it" >&2; exit 1
fi

ours() { tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline" | grep -qxF -- "$CONF"; }

stopped=0
stop() { # stop NAME... : TERM together, wait, KILL after GRACE
  local name p pids=() end=$((SECONDS + GRACE))
  for name in "$@"; do
    p=$(cat "$D/pids/$name.pid" 2>/dev/null) || continue
    [[ $p =~ ^[0-9]+$ ]] && ours "$p" && kill -TERM "$p" 2>/dev/null && pids+=("$p")
  done
  for p in "${pids[@]}"; do
    while ours "$p"; do
      [ $SECONDS -lt $end ] || kill -KILL "$p" 2>/dev/null
      sleep 0.02
    done
  done
  stopped=$((stopped + ${#pids[@]}))
}
stop rgw
stop osd mon
rm -f "$D"/pids/*.pid

[ "${2:-}" = --wipe ] && find "$D" -mindepth 1 -delete
echo "rgw-down: stopped $stopped process(es) from $D" >&2
exit 0
