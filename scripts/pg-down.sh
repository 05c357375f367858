#!/usr/bin/env bash
# pg-down.sh DATA_DIR [--wipe]
#
# Stops the PostgreSQL cluster pg-up.sh started from DATA_DIR: `pg_ctl stop -m
# fast` (as the cluster's owner), and if the postmaster is still alive after
# PG_STOP_GRACE seconds (default 10), SIGKILL to it and then to the server
# processes it had forked. Only the postmaster recorded in DATA_DIR/pid (or in
# the cluster's postmaster.pid) is signalled, and only while it is a postgres
# whose command line names this cluster's data folder (never kills by name).
# Stopping a stopped cluster is fine. Without --wipe the data is kept, and
# pg-up.sh DATA_DIR starts it again; --wipe deletes DATA_DIR and, if the
# cluster had to live elsewhere (DATA_DIR/cluster-dir), that folder too.
set -uo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] && [ "${2:---wipe}" = --wipe ] ||
  { echo "usage: $0 DATA_DIR [--wipe]" >&2; exit 2; }
WIPE=${2:-}
GRACE=${PG_STOP_GRACE:-10}
[[ $GRACE =~ ^[0-9]+$ ]] || { echo "pg-down: bad PG_STOP_GRACE: $GRACE" >&2; exit 2; }
for v in $(compgen -e); do [[ $v =~ ^PG[A-Z] ]] && unset "$v"; done

log() { echo "[pg-down $(date +%T.%3N)] $*" >&2; }

[ -d "$1" ] || { log "$1: no such directory, nothing to stop"; exit 0; }
D=$(cd "$1" && pwd -P) || { log "ERROR: cannot enter $1"; exit 1; }
[[ $D =~ ^/[^/]*$ || $D =~ ^/home/[^/]*$ || $D == "${HOME:-/root}" ]] &&
  { log "ERROR: refusing to touch $D"; exit 1; }
cd / || exit 1
if [ ! -f "$D/.mediavault-pg" ]; then
  if [ -z "$(ls -A "$D")" ]; then   # empty: already wiped
    [ "$WIPE" != --wipe ] || rmdir "$D" 2>/dev/null
    exit 0
  fi
  log "ERROR: $D was not created by pg-up.sh, not touching it"; exit 1
fi

# The cluster's folder: DATA_DIR, or the one named in DATA_DIR/cluster-dir if it points back here.
C=$D
if [ -f "$D/cluster-dir" ]; then
  C=$(cat "$D/cluster-dir")
  if [ -z "$C" ] || [ "$(cat "$C/.mediavault-pg-for" 2>/dev/null)" != "$D" ]; then
    [ -z "$C" ] || [ ! -e "$C" ] || log "$C does not belong to $D: leaving it alone"
    C=
  fi
fi
PGDATA=${C:+$C/pgdata}

ours() { # ours PID: a live postgres serving this cluster
  [ -n "$PGDATA" ] && [[ ${1:-} =~ ^[0-9]+$ ]] &&
    tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline" | grep -xF -- "$PGDATA" >/dev/null
}
alive() { # alive PID: running, not a zombie
  local s
  s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$s" ] && [ "$s" != Z ]
}
children() { # pids whose parent is $1
  local f s ppid
  for f in /proc/[0-9]*/stat; do
    s=$(cat "$f" 2>/dev/null) || continue
    s=${s##*) }
    read -r _ ppid _ <<<"$s"
    [ "$ppid" = "$1" ] && { f=${f#/proc/}; echo "${f%/stat}"; }
  done
}

pids=()
for p in "$(cat "$D/pid" 2>/dev/null)" "$(head -n 1 "${PGDATA:-/nonexistent}/postmaster.pid" 2>/dev/null)"; do
  ours "$p" && [[ " ${pids[*]} " != *" $p "* ]] && pids+=("$p")
done

stopped=0
if [ ${#pids[@]} -gt 0 ]; then
  BIN=/usr/lib/postgresql/$(cat "$PGDATA/PG_VERSION" 2>/dev/null)/bin
  RUN_AS=$(cat "$D/os-user" 2>/dev/null) || RUN_AS=
  if [ "$(id -u)" = 0 ]; then as_pg() { runuser -u "$RUN_AS" -- "$@"; }; else as_pg() { "$@"; }; fi
  if [ -x "$BIN/pg_ctl" ] && { [ "$(id -u)" != 0 ] || id -u "$RUN_AS" >/dev/null 2>&1; }; then
    log "pg_ctl stop -m fast (pid ${pids[*]})"
    as_pg "$BIN/pg_ctl" -D "$PGDATA" stop -m fast -w -t "$GRACE" -s >&2 ||
      log "pg_ctl stop did not finish within ${GRACE}s"
  else
    log "no pg_ctl for this cluster: SIGINT (fast shutdown) to pid ${pids[*]}"
    kill -INT "${pids[@]}" 2>/dev/null
    end=$((SECONDS + GRACE))
    for p in "${pids[@]}"; do
      while ours "$p" && alive "$p" && [ $SECONDS -lt $end ]; do sleep 0.05; done
    done
  fi
  for p in "${pids[@]}"; do
    ours "$p" && alive "$p" || continue
    kids=$(children "$p")
    log "postmaster $p still alive after ${GRACE}s: SIGKILL"
    kill -KILL "$p" 2>/dev/null
    # its server processes notice the postmaster's death and exit; make sure of it
    end=$((SECONDS + 5))
    for k in $kids; do
      while alive "$k" && [ $SECONDS -lt $end ]; do sleep 0.05; done
      alive "$k" && tr '\0' ' ' <"/proc/$k/cmdline" 2>/dev/null | grep '^postgres: ' >/dev/null &&
        kill -KILL "$k" 2>/dev/null
    done
  done
  stopped=${#pids[@]}
fi
rm -f "$D/pid"

if [ "$WIPE" = --wipe ]; then
  if [ -n "$C" ] && [ "$C" != "$D" ]; then rm -rf -- "$C"; fi
  rm -rf -- "$D" || { log "ERROR: cannot delete $D"; exit 1; }
  log "stopped $stopped postmaster(s), deleted $D"
else
  log "stopped $stopped postmaster(s) from $D (data kept)"
fi
exit 0
