#!/usr/bin/env bash
# scripts/test.sh [extra dotnet test args...]
#
# The whole test suite, on both databases. Starts a throwaway Ceph RGW (S3) on
# a free loopback port (scripts/rgw-up.sh, data in .tmp/rgw) and a throwaway
# PostgreSQL on another (scripts/pg-up.sh, data in .tmp/pg), exports
#   MEDIAVAULT_TEST_S3_ENDPOINT / _ACCESS_KEY / _SECRET_KEY / _REGION
#   MEDIAVAULT_TEST_PG   (Npgsql connection string of a superuser, no database)
# and runs `dotnet test MediaVault.slnx -c Release` twice, with the extra args
# passed to both:
#   1. MEDIAVAULT_TEST_DB=Sqlite      (builds; TRX in .tmp/test-results/sqlite,
#                                      console in .tmp/dotnet-test-sqlite.log)
#   2. MEDIAVAULT_TEST_DB=PostgreSQL  (--no-build; .tmp/test-results/postgresql,
#                                      .tmp/dotnet-test-postgresql.log)
# The second pass is skipped if the first ran no test and failed (a build
# error). RGW and PostgreSQL are stopped and wiped on exit. Debian's chromium
# (for the browser tests) is installed with apt-get when /usr/bin/chromium is missing.
#
# Output ends with one line per pass, `test.sh: <db> pass: N passed / N failed
# (exit N)`, then the line `tests: N passed, N failed` (totals over both passes
# and all test projects; per pass from the TRX files, else from the console).
# Exit code: non-zero if either pass's dotnet test failed, or said 0 but tests
# failed or none ran.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO" || exit 1
SLN=MediaVault.slnx
TMP=$REPO/.tmp
RGW_DIR=$TMP/rgw
PG_DIR=$TMP/pg
RESULTS=$TMP/test-results

lines=()   # one line per pass, printed just before the totals
summary() {
  printf '\n'
  [ ${#lines[@]} = 0 ] || printf '%s\n' "${lines[@]}"
  printf 'tests: %d passed, %d failed\n' "$1" "$2"
}
die() { echo "test.sh: ERROR: $*" >&2; cleanup; summary 0 0; exit 1; }
rgw=   # set once .tmp/rgw is ours to stop
pg=    # set once .tmp/pg is ours to stop
cleanup() {
  [ -z "$pg" ] || "$REPO/scripts/pg-down.sh" "$PG_DIR" --wipe || true; pg=
  [ -z "$rgw" ] || "$REPO/scripts/rgw-down.sh" "$RGW_DIR" --wipe || true; rgw=
}

[ -f "$SLN" ] || die "$REPO/$SLN not found: no solution to test"
command -v dotnet >/dev/null || die "dotnet not found on PATH (install the .NET 10 SDK)"
mkdir -p "$TMP"
exec 9>"$TMP/test.lock"
flock -n 9 || die "another scripts/test.sh is running in $REPO"

# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
if [ ! -x /usr/bin/chromium ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" >&2; }
  echo "test.sh: installing Debian package chromium" >&2
  apt_get install -y -qq --no-install-recommends chromium \
    || { apt_get update -qq && apt_get install -y -qq --no-install-recommends chromium; } \
    || die "apt-get install chromium failed"
fi

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A fresh cluster every run: stop anything a killed earlier run left behind.
rgw=1
[ ! -d "$RGW_DIR" ] || "$REPO/scripts/rgw-down.sh" "$RGW_DIR" --wipe || { rgw=; die "cannot clean $RGW_DIR"; }
# One retry: a start can time out on a machine busy with something else; up.sh wipes what the first left.
env_lines=$("$REPO/scripts/rgw-up.sh" "$RGW_DIR" 0) || env_lines=$("$REPO/scripts/rgw-up.sh" "$RGW_DIR" 0) \
  || die "could not start Ceph RGW (see messages above)"
ENDPOINT= ACCESS_KEY= SECRET_KEY= REGION=
eval "$env_lines"
[ -n "$ENDPOINT" ] && [ -n "$ACCESS_KEY" ] && [ -n "$SECRET_KEY" ] || die "rgw-up.sh printed no endpoint/credentials"
export MEDIAVAULT_TEST_S3_ENDPOINT=$ENDPOINT
export MEDIAVAULT_TEST_S3_ACCESS_KEY=$ACCESS_KEY
export MEDIAVAULT_TEST_S3_SECRET_KEY=$SECRET_KEY
export MEDIAVAULT_TEST_S3_REGION=${REGION:-us-east-1}
echo "test.sh: S3 endpoint $ENDPOINT" >&2

# The same for PostgreSQL (a failed start stops what it started; the retry reuses or re-makes it).
pg=1
[ ! -d "$PG_DIR" ] || "$REPO/scripts/pg-down.sh" "$PG_DIR" --wipe || { pg=; die "cannot clean $PG_DIR"; }
env_lines=$("$REPO/scripts/pg-up.sh" "$PG_DIR" 0) || env_lines=$("$REPO/scripts/pg-up.sh" "$PG_DIR" 0) \
  || die "could not start PostgreSQL (see messages above)"
PG_HOST= PG_PORT= PG_USER= PG_PASSWORD= PG_CONNECTION=
eval "$env_lines"
[ -n "$PG_PORT" ] && [ -n "$PG_CONNECTION" ] || die "pg-up.sh printed no port/connection string"
export MEDIAVAULT_TEST_PG=$PG_CONNECTION
echo "test.sh: PostgreSQL on $PG_HOST:$PG_PORT" >&2

export DOTNET_NOLOGO=${DOTNET_NOLOGO:-1} DOTNET_CLI_TELEMETRY_OPTOUT=${DOTNET_CLI_TELEMETRY_OPTOUT:-1}

# count DIR LOG: "passed failed" of one pass. From the TRX files in DIR
# (<Counters passed=".." failed=".." error=".." timeout=".." aborted=".."/>, one
# file per project), cross-checked with the console LOG: per-project "Passed!  -
# Failed: 0, Passed: 12, ..." lines (minimal verbosity) or "Total tests: 12 /
# Passed: 12 / Failed: 0" blocks (normal verbosity). The console wins if it saw
# more tests (a lost TRX).
count() {
  local trx passed failed cpassed cfailed
  shopt -s nullglob
  trx=("$1"/*.trx)
  shopt -u nullglob
  read -r passed failed < <(
    { [ ${#trx[@]} = 0 ] || cat "${trx[@]}"; } | grep -o '<Counters [^>]*>' | awk '
      function n(a) { return match($0, " " a "=\"[0-9]+\"") ? substr($0, RSTART + length(a) + 3, RLENGTH - length(a) - 4) : 0 }
      { p += n("passed"); f += n("failed") + n("error") + n("timeout") + n("aborted") }
      END { print p + 0, f + 0 }')
  read -r cpassed cfailed < <(sed -E 's/\x1b\[[0-9;]*m//g' "$2" | awk '
    function num(re) { match($0, re); s = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", s); return s + 0 }
    /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ { f += num("Failed: +[0-9]+"); p += num("Passed: +[0-9]+"); next }
    /^Total tests: +[0-9]+/ { blk = 1; next }
    blk && /^ +Passed: +[0-9]+ *$/ { p += num("[0-9]+"); next }
    blk && /^ +Failed: +[0-9]+ *$/ { f += num("[0-9]+"); next }
    blk && !/^ +[A-Za-z]+: / { blk = 0 }
    END { print p + 0, f + 0 }')
  if [ $((cpassed + cfailed)) -gt $((passed + failed)) ]; then
    passed=$cpassed failed=$cfailed
  fi
  echo "$passed $failed"
}

# run_pass DB FOLDER [--no-build]: one dotnet test run; sets p_passed p_failed p_rc
run_pass() {
  local db=$1 dir=$RESULTS/$2 log=$TMP/dotnet-test-$2.log
  shift 2
  rm -rf "$dir"
  echo "test.sh: ===== $db pass (MEDIAVAULT_TEST_DB=$db) =====" >&2
  MEDIAVAULT_TEST_DB=$db dotnet test "$SLN" -c Release "$@" --logger "console;verbosity=normal" --logger trx \
    --results-directory "$dir" "${EXTRA[@]}" 2>&1 | tee "$log"
  p_rc=${PIPESTATUS[0]}
  read -r p_passed p_failed < <(count "$dir" "$log")
  if [ "$p_rc" = 0 ] && { [ "$p_failed" -gt 0 ] || [ $((p_passed + p_failed)) = 0 ]; }; then
    echo "test.sh: $db pass: dotnet test exited 0 but $p_failed failed / $p_passed passed: failing the run" >&2
    p_rc=1
  fi
}

EXTRA=("$@")
no_build=--no-build
for a in "$@"; do [ "$a" != --no-build ] || no_build=; done   # given already: not twice
rm -rf "$RESULTS"
passed=0 failed=0 rc=0

run_pass Sqlite sqlite
lines+=("test.sh: Sqlite pass: $p_passed passed / $p_failed failed (exit $p_rc)")
passed=$((passed + p_passed)) failed=$((failed + p_failed))
[ "$p_rc" = 0 ] || rc=$p_rc

if [ "$p_rc" != 0 ] && [ $((p_passed + p_failed)) = 0 ]; then
  echo "test.sh: the Sqlite pass ran no test (a build error, or a filter that matches none): skipping the PostgreSQL pass" >&2
  lines+=("test.sh: PostgreSQL pass: skipped")
else
  run_pass PostgreSQL postgresql ${no_build:+"$no_build"}
  lines+=("test.sh: PostgreSQL pass: $p_passed passed / $p_failed failed (exit $p_rc)")
  passed=$((passed + p_passed)) failed=$((failed + p_failed))
  [ "$p_rc" = 0 ] || [ "$rc" != 0 ] || rc=$p_rc
fi

cleanup
summary "$passed" "$failed"
exit "$rc"
