#!/usr/bin/env bash
# Reliability record of the VM suite: run it N times in a row (one boot per run) and print a
# line per run and the longest green streak. Logs go to a fresh directory under /tmp.
# Usage: scripts/vm/repeat.sh N [area ...]     e.g. scripts/vm/repeat.sh 20 wireless
# Compiles once first; each run is `NLROUTE_SKIP_BUILD=1 scripts/vm/run-tests.sh [area ...]`.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=${1:?usage: repeat.sh N [area ...]}
shift
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "N must be a positive integer, got $n" >&2; exit 2; }
cd "$repo"
npx tsc -p tsconfig.json || exit 1
logs=$(mktemp -d "${TMPDIR:-/tmp}/nlroute-vm-repeat.XXXXXX")
echo "# logs in $logs"
streak=0 best=0 failed=0
for i in $(seq 1 "$n"); do
  t0=$(date +%s)
  NLROUTE_SKIP_BUILD=1 bash scripts/vm/run-tests.sh "$@" >"$logs/run$i.log" 2>&1
  rc=$?
  if ((rc == 0)); then streak=$((streak + 1)); else streak=0 failed=$((failed + 1)); fi
  ((streak > best)) && best=$streak
  echo "run $i: exit $rc, $(($(date +%s) - t0)) s, load $(cut -d' ' -f1 /proc/loadavg)"
done
echo "# $n runs, $failed failed, longest green streak $best"
((failed == 0))
