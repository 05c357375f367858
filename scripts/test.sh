#!/usr/bin/env bash
# scripts/test.sh [extra dotnet test args...]
#
# The whole test suite: starts a throwaway Ceph RGW (S3) on a free loopback
# port (scripts/rgw-up.sh, data in .tmp/rgw), exports
#   MEDIAVAULT_TEST_S3_ENDPOINT / _ACCESS_KEY / _SECRET_KEY / _REGION
# runs `dotnet test MediaVault.slnx -c Release`, stops and wipes RGW on exit,
# and ends with the line `tests: N passed, N failed` (totals over all test
# projects, from the TRX files in .tmp/test-results, else from the console).
# Exit code: dotnet test's; 1 if it said 0 but tests failed or none ran.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO" || exit 1
SLN=MediaVault.slnx
TMP=$REPO/.tmp
RGW_DIR=$TMP/rgw
RESULTS=$TMP/test-results
LOG=$TMP/dotnet-test.log

summary() { printf '\ntests: %d passed, %d failed\n' "$1" "$2"; }
die() { echo "test.sh: ERROR: $*" >&2; cleanup; summary 0 0; exit 1; }
rgw=   # set once .tmp/rgw is ours to stop
cleanup() { [ -z "$rgw" ] || "$REPO/scripts/rgw-down.sh" "$RGW_DIR" --wipe || true; rgw=; }

[ -f "$SLN" ] || die "$REPO/$SLN not found: no solution to test"
command -v dotnet >/dev/null || die "dotnet not found on PATH (install the .NET 10 SDK)"
mkdir -p "$TMP"
exec 9>"$TMP/test.lock"
flock -n 9 || die "another scripts/test.sh is running in $REPO"

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

export DOTNET_NOLOGO=${DOTNET_NOLOGO:-1} DOTNET_CLI_TELEMETRY_OPTOUT=${DOTNET_CLI_TELEMETRY_OPTOUT:-1}
rm -rf "$RESULTS"
dotnet test "$SLN" -c Release --logger "console;verbosity=normal" --logger trx \
  --results-directory "$RESULTS" "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}

# Totals over all test projects: from the TRX files (<Counters passed=".."
# failed=".." error=".." timeout=".." aborted=".."/>, one file per project),
# cross-checked with the console: per-project "Passed!  - Failed: 0, Passed: 12,
# ..." lines (minimal verbosity) or "Total tests: 12 / Passed: 12 / Failed: 0"
# blocks (normal verbosity). The console wins if it saw more tests (a lost TRX).
shopt -s nullglob
trx=("$RESULTS"/*.trx)
read -r passed failed < <(
  { [ ${#trx[@]} = 0 ] || cat "${trx[@]}"; } | grep -o '<Counters [^>]*>' | awk '
    function n(a) { return match($0, " " a "=\"[0-9]+\"") ? substr($0, RSTART + length(a) + 3, RLENGTH - length(a) - 4) : 0 }
    { p += n("passed"); f += n("failed") + n("error") + n("timeout") + n("aborted") }
    END { print p + 0, f + 0 }')
read -r cpassed cfailed < <(sed -E 's/\x1b\[[0-9;]*m//g' "$LOG" | awk '
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

if [ "$rc" = 0 ] && { [ "$failed" -gt 0 ] || [ $((passed + failed)) = 0 ]; }; then
  echo "test.sh: dotnet test exited 0 but $failed failed / $passed passed: failing the run" >&2
  rc=1
fi
cleanup
summary "$passed" "$failed"
exit "$rc"
