#!/usr/bin/env bash
# pg-up.sh DATA_DIR PORT
#
# Starts a throwaway PostgreSQL cluster for tests, listening on 127.0.0.1:PORT
# only (PORT 0 = pick a free port), its unix socket in a folder of its own, with
# a superuser `mediavault` whose random password is kept in DATA_DIR. Tuned for
# speed, not durability (fsync, synchronous_commit, full_page_writes off).
# Stop with pg-down.sh DATA_DIR [--wipe].
#
# stdout, exactly these lines (safe to `eval`):
#   PG_HOST=127.0.0.1
#   PG_PORT=PORT
#   PG_USER=mediavault
#   PG_PASSWORD=...            (hex, stable for the life of DATA_DIR)
#   PG_CONNECTION='Host=127.0.0.1;Port=PORT;Username=mediavault;Password=...'
# Progress and errors go to stderr; on failure the exit code is non-zero and the
# tail of the server log follows the error.
#
# DATA_DIR holds: .mediavault-pg (marker), password, port, env (the lines
# above), pid (the postmaster's, the one process this script starts), os-user,
# and the cluster itself: pgdata/ (initdb), run/ (unix socket), server.log.
# If DATA_DIR already holds a cluster made by this script, it is kept: a running
# one is reused when it answers on PORT (any port if PORT is 0), else it is
# (re)started on PORT, or with PORT 0 on the port recorded in DATA_DIR/port
# (a new free one if that is taken now). A DATA_DIR whose first initdb did not
# finish is wiped and made again. A non-empty DATA_DIR that this script did not
# create is refused.
#
# PostgreSQL refuses to run as root: as root, the cluster belongs to the
# `postgres` system user (created by the Debian package; a system user
# `mediavault-pg` is created if there is none) and the server is started with
# runuser; as another user, it runs as that user. That user must be able to
# reach DATA_DIR: when a parent of DATA_DIR is not traversable by it (e.g. a
# clone under /root), the cluster (pgdata/, run/, server.log) is put in a new
# folder /tmp/mediavault-pg.XXXXXX instead, whose path is recorded in
# DATA_DIR/cluster-dir; pg-down.sh --wipe removes that folder too. Nothing else
# outside DATA_DIR is touched.
#
# When no /usr/lib/postgresql/*/bin/initdb exists, the Debian package
# `postgresql` is installed with apt-get (needs root or sudo; apt-get update
# only if apt knows no candidate or the install fails). Note that the package
# creates (and may start) its own default cluster on port 5432: this script
# neither uses nor touches it.
# Environment: PG_START_TIMEOUT (seconds, default 30).
#
# No `set -e`: every step checks its own result. No `grep -q` after a pipe: its early exit can
# kill the writer with SIGPIPE, which pipefail turns into a failure.
set -uo pipefail

[ $# -eq 2 ] || { echo "usage: $0 DATA_DIR PORT   (PORT 0 = any free port)" >&2; exit 2; }
WANT_PORT=$2
[[ $WANT_PORT =~ ^[0-9]{1,5}$ ]] && [ $((10#$WANT_PORT)) -le 65535 ] ||
  { echo "pg-up: bad PORT: $WANT_PORT" >&2; exit 2; }
WANT_PORT=$((10#$WANT_PORT))

TIMEOUT=${PG_START_TIMEOUT:-30}
[[ $TIMEOUT =~ ^[0-9]+$ ]] && [ "$TIMEOUT" -gt 0 ] || { echo "pg-up: bad PG_START_TIMEOUT: $TIMEOUT" >&2; exit 2; }
MARKER=.mediavault-pg
SUPERUSER=mediavault
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# libpq settings of the caller (PGHOST, PGPORT, PGSSLMODE, PGPASSFILE...) must not steer our checks
for v in $(compgen -e); do [[ $v =~ ^PG[A-Z] ]] && unset "$v"; done

log() { echo "[pg-up $(date +%T.%3N)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- packages
newest_bindir() {
  local f
  for f in /usr/lib/postgresql/*/bin/initdb; do [ -x "$f" ] && echo "${f%/initdb}"; done | sort -V | tail -n 1
}
BIN=$(newest_bindir)
if [ -z "$BIN" ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" >&2; }
  updated=0
  if ! apt-cache policy postgresql 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; then
    log "apt-get update (apt knows no postgresql package yet)"
    apt_get update -qq || die "apt-get update failed"
    updated=1
  fi
  log "installing Debian package postgresql"
  if ! apt_get install -y -qq --no-install-recommends postgresql; then
    [ $updated = 0 ] || die "apt-get install postgresql failed"
    log "install failed: apt-get update, then one more try"
    { apt_get update -qq && apt_get install -y -qq --no-install-recommends postgresql; } ||
      die "apt-get install postgresql failed"
  fi
  BIN=$(newest_bindir)
  [ -n "$BIN" ] || die "package postgresql installed, but there is no /usr/lib/postgresql/*/bin/initdb"
fi

# ---------------------------------------------------------------- data dir
refuse() { # never "/", a top-level dir or a home dir
  [[ $1 =~ ^/[^/]*$ || $1 =~ ^/home/[^/]*$ || $1 == "${HOME:-/root}" ]] && die "refusing to use $1 as DATA_DIR"
  return 0
}
refuse "$(realpath -m -- "$1")"
mkdir -p -- "$1" || die "cannot create $1"
D=$(cd "$1" && pwd -P) || die "cannot enter $1"
refuse "$D"
cd / || exit 1   # the server user may not be allowed into the caller's working directory

# The OS user the cluster runs as, and how to run a command as that user.
if [ "$(id -u)" = 0 ]; then
  RUN_AS=$(cat "$D/os-user" 2>/dev/null) || RUN_AS=
  if [ -z "$RUN_AS" ]; then
    RUN_AS=postgres
    if ! id -u postgres >/dev/null 2>&1; then
      RUN_AS=mediavault-pg
      if ! id -u "$RUN_AS" >/dev/null 2>&1; then
        log "no postgres user: creating system user $RUN_AS"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
          --shell /usr/sbin/nologin "$RUN_AS" >&2 || die "cannot create system user $RUN_AS"
      fi
    fi
  fi
  id -u "$RUN_AS" >/dev/null 2>&1 || die "user $RUN_AS (owner of the cluster in $D) does not exist"
  as_pg() { runuser -u "$RUN_AS" -- "$@"; }
else
  RUN_AS=$(id -un)
  as_pg() { "$@"; }
fi

# Where the cluster lives: DATA_DIR itself, or the folder recorded in DATA_DIR/cluster-dir.
cluster_home() {
  local c
  if [ -f "$D/cluster-dir" ]; then
    c=$(cat "$D/cluster-dir") && [ -n "$c" ] && [ "$(cat "$c/.mediavault-pg-for" 2>/dev/null)" = "$D" ] || return 1
    echo "$c"
  else
    echo "$D"
  fi
}

# pg_alive PID: PID is a postmaster serving our pgdata (its command line has "-D $PGDATA")
pg_alive() {
  [[ ${1:-} =~ ^[0-9]+$ ]] && tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline" | grep -xF -- "$PGDATA" >/dev/null
}
postmaster_pid() { head -n 1 "$PGDATA/postmaster.pid" 2>/dev/null; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # below Linux's ephemeral range (32768+), so no outgoing connection holds it
  local i p
  for i in $(seq 1 500); do
    p=$((20000 + RANDOM % 12000))
    port_busy "$p" || { echo "$p"; return 0; }
  done
  return 1
}
sql_ok() { # the server answers over TCP with our credentials
  PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=5 "$BIN/psql" -X -w -A -t -q -h 127.0.0.1 -p "$1" \
    -U "$SUPERUSER" -d postgres -c 'select 1' 2>/dev/null | grep -x 1 >/dev/null
}
print_env() {
  printf 'PG_HOST=127.0.0.1\nPG_PORT=%s\nPG_USER=%s\nPG_PASSWORD=%s\n' "$PORT" "$SUPERUSER" "$PASSWORD"
  printf "PG_CONNECTION='Host=127.0.0.1;Port=%s;Username=%s;Password=%s'\n" "$PORT" "$SUPERUSER" "$PASSWORD"
}

C= PGDATA= PASSWORD= started=0
if [ -f "$D/$MARKER" ]; then
  if [ -f "$D/initdb.done" ] && C=$(cluster_home) && [ -f "$C/pgdata/PG_VERSION" ] &&
     PASSWORD=$(cat "$D/password" 2>/dev/null) && [ -n "$PASSWORD" ]; then
    PGDATA=$C/pgdata
    VER=$(cat "$PGDATA/PG_VERSION")
    BIN=/usr/lib/postgresql/$VER/bin
    [ -x "$BIN/postgres" ] ||
      die "the cluster in $D was made by PostgreSQL $VER, which is no longer installed; remove it with pg-down.sh $D --wipe"
    OLD_PORT=$(cat "$D/port" 2>/dev/null) || OLD_PORT=
    if pg_alive "$(postmaster_pid)"; then
      if [ -n "$OLD_PORT" ] && { [ "$WANT_PORT" = 0 ] || [ "$WANT_PORT" = "$OLD_PORT" ]; } && sql_ok "$OLD_PORT"; then
        PORT=$OLD_PORT
        log "reusing the cluster already running from $D on port $PORT"
        print_env
        exit 0
      fi
      log "the cluster in $D runs but not as asked (port ${OLD_PORT:-?}): restarting it"
      "$HERE/pg-down.sh" "$D" >&2 || die "cannot stop the cluster running from $D"
    fi
    log "starting the existing cluster in $D (data kept)"
  else
    log "leftovers of an unfinished or lost cluster in $D: wiping, making a new one"
    "$HERE/pg-down.sh" "$D" --wipe >&2 || die "cannot wipe $D"
    mkdir -p "$D" || die "cannot create $D"
    C=
  fi
elif [ -n "$(ls -A "$D")" ]; then
  die "$D is not empty and was not created by $(basename "$0"); use a new or empty directory"
fi
if [ "$WANT_PORT" != 0 ] && port_busy "$WANT_PORT"; then
  die "port $WANT_PORT on 127.0.0.1 is already in use"
fi

dump_logs() {
  local f
  local logs=("${C:-$D}/server.log")
  [ -f "$D/initdb.done" ] || logs=("${C:-$D}/initdb.log" "${logs[@]}")
  for f in "${logs[@]}"; do
    if [ -s "$f" ]; then echo "----- $f (tail)"; tail -n 20 "$f"; fi
  done >&2
}
on_exit() {
  local rc=$?
  [ $rc = 0 ] && return
  set +e
  log "failed (rc=$rc); log tails follow"; dump_logs
  [ $started = 0 ] || "$HERE/pg-down.sh" "$D" >&2 || true
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- initdb
if [ -z "$C" ]; then
  touch "$D/$MARKER" || die "cannot write in $D"
  echo "$RUN_AS" >"$D/os-user"
  ( umask 077; od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$D/password" ) || die "cannot write $D/password"
  PASSWORD=$(cat "$D/password")
  [ ${#PASSWORD} = 32 ] || die "could not make a password"
  if [ "$(id -u)" = 0 ]; then
    chown "$RUN_AS:" "$D" && chmod 700 "$D" || die "cannot give $D to $RUN_AS"
  fi
  if as_pg test -x "$D" -a -w "$D"; then
    C=$D
  else
    C=$(mktemp -d /tmp/mediavault-pg.XXXXXX) || die "cannot create a folder in /tmp"
    echo "$D" >"$C/.mediavault-pg-for"
    echo "$C" >"$D/cluster-dir"
    [ "$(id -u)" != 0 ] || chown -R "$RUN_AS:" "$C" || die "cannot give $C to $RUN_AS"
    as_pg test -x "$C" -a -w "$C" || die "user $RUN_AS can reach neither $D nor $C"
    log "user $RUN_AS cannot reach $D (a parent folder is closed to it): the cluster goes to $C"
  fi
  PGDATA=$C/pgdata
  mkdir -p "$C/run" "$PGDATA" && chmod 700 "$C/run" "$PGDATA" || die "cannot create folders in $C"
  [ "$(id -u)" != 0 ] || chown "$RUN_AS:" "$C/run" "$PGDATA" || die "cannot give $C to $RUN_AS"
  ( umask 077; cp "$D/password" "$C/initdb.pw" ) && { [ "$(id -u)" != 0 ] || chown "$RUN_AS:" "$C/initdb.pw"; } ||
    die "cannot write $C/initdb.pw"
  LOCALE=C
  locale -a 2>/dev/null | grep -iE '^c\.utf-?8$' >/dev/null && LOCALE=C.UTF-8
  log "initdb (PostgreSQL $("$BIN/postgres" --version 2>/dev/null | awk '{print $3}'), locale $LOCALE, as $RUN_AS) in $PGDATA"
  started=1   # from here on, a failure stops whatever was started
  as_pg "$BIN/initdb" -D "$PGDATA" -U "$SUPERUSER" --pwfile="$C/initdb.pw" -A scram-sha-256 \
    -E UTF8 --locale="$LOCALE" --no-instructions >"$C/initdb.log" 2>&1
  irc=$?
  rm -f "$C/initdb.pw"
  [ $irc = 0 ] || die "initdb failed"
  printf "\n# pg-up.sh: listen address, port and test settings\ninclude = 'mediavault.conf'\n" \
    >>"$PGDATA/postgresql.conf" || die "cannot write $PGDATA/postgresql.conf"
  touch "$D/initdb.done"
fi

# ---------------------------------------------------------------- start
write_conf() { # write_conf PORT
  local sock=$C/run
  # a unix socket path is limited to 107 bytes; TCP is what tests use anyway
  [ $((${#sock} + 16)) -le 107 ] || { log "socket path under $sock would be too long: no unix socket"; sock=; }
  cat >"$PGDATA/mediavault.conf" <<EOF
# written by pg-up.sh at every start: throwaway test cluster, loopback only
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$sock'
unix_socket_permissions = 0700
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  [ "$(id -u)" != 0 ] || chown "$RUN_AS:" "$PGDATA/mediavault.conf"
}

started=1
deadline=$((SECONDS + TIMEOUT))
# A killed postmaster leaves postmaster.pid and run/.s.PGSQL.*.lock behind. postgres ignores them
# if that pid is gone, but not while it is a zombie (a parent that does not reap it) or another
# process: then, once the dead server's processes have had time to exit, remove them.
stale=$(postmaster_pid)
if [ -n "$stale" ] && [ -e "/proc/$stale" ] && ! pg_alive "$stale"; then
  for _ in $(seq 1 50); do [ -e "/proc/$stale" ] || break; sleep 0.1; done
  if [ -e "/proc/$stale" ]; then
    log "pid $stale in $PGDATA/postmaster.pid is not our postmaster (a zombie?): removing the stale lock files"
    rm -f "$PGDATA/postmaster.pid" "$C"/run/.s.PGSQL.*.lock
  fi
fi
for attempt in 1 2 3; do
  if [ "$WANT_PORT" != 0 ]; then
    PORT=$WANT_PORT
  elif [ "$attempt" = 1 ] && [ -n "${OLD_PORT:-}" ] && ! port_busy "$OLD_PORT"; then
    PORT=$OLD_PORT
  else
    [ -z "${OLD_PORT:-}" ] || [ "$attempt" != 1 ] || log "port $OLD_PORT is taken now: choosing another"
    PORT=$(free_port) || die "no free port found on 127.0.0.1"
  fi
  write_conf "$PORT" || die "cannot write $PGDATA/mediavault.conf"
  log_from=$(( $(stat -c %s "$C/server.log" 2>/dev/null || echo 0) + 1 ))
  left=$((deadline - SECONDS)); [ $left -ge 1 ] || left=1
  log "postgres: start on 127.0.0.1:$PORT"
  if as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$C/server.log" -w -t "$left" start >&2; then
    break
  fi
  if [ "$WANT_PORT" = 0 ] && [ $attempt -lt 3 ] && ! pg_alive "$(postmaster_pid)" &&
     tail -c +"$log_from" "$C/server.log" 2>/dev/null | grep -E 'could not (bind|create any TCP/IP)' >/dev/null; then
    log "port $PORT was taken meanwhile: retrying on another"
    continue
  fi
  die "postgres did not start on 127.0.0.1:$PORT (limit ${TIMEOUT}s)"
done
postmaster_pid >"$D/pid"
until "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 1; do
  [ $SECONDS -lt $deadline ] || die "postgres does not accept connections on 127.0.0.1:$PORT after ${TIMEOUT}s"
  pg_alive "$(postmaster_pid)" || die "postgres exited"
  sleep 0.1
done
sql_ok "$PORT" || die "cannot log in as $SUPERUSER on 127.0.0.1:$PORT with the password in $D/password"
echo "$PORT" >"$D/port"
( umask 077; print_env >"$D/env" )
log "ready: 127.0.0.1:$PORT, pid $(cat "$D/pid") (data in $PGDATA)"
print_env
