#!/usr/bin/env bash
# `npm run test:wireless`: compile, then in ONE VM boot run test/wireless/smoke.sh
# and every dist/test/wireless/*.test.js (or the files given) with node:test.
# Usage: scripts/vm/run-tests.sh [dist/test/wireless/x.test.js ...]
# NLROUTE_SKIP_BUILD=1 skips tsc; NLROUTE_TEST_TIMEOUT (s, default 60) bounds each
# test so one hang fails that test instead of the whole VM; VM settings come from
# the NLROUTE_VM_* env vars.
# Exit: non-zero if tsc, the smoke test or any node test failed; 124/125 from run.sh
# mean the VM timed out / never reached the tests.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

if [[ ${NLROUTE_VM:-} != 1 ]]; then
  build=0
  if [[ ${NLROUTE_SKIP_BUILD:-0} != 1 ]]; then
    # tsc still emits on type errors (possibly in someone else's module), so
    # run the tests anyway and fail at the end.
    npx tsc -p tsconfig.json || build=$?
    ((build == 0)) || echo "# tsc failed (exit $build); running the emitted tests anyway" >&2
  fi
  rc=0
  "$repo/scripts/vm/run.sh" -- bash "$repo/scripts/vm/run-tests.sh" "$@" || rc=$?
  ((rc != 0 || build == 0)) || { echo "# wireless tests passed, but tsc failed" >&2; rc=1; }
  exit "$rc"
fi

# Inside the guest from here on.
status=0
echo "# test/wireless/smoke.sh"
bash test/wireless/smoke.sh || status=1

shopt -s nullglob
files=("$@")
((${#files[@]})) || files=(dist/test/wireless/*.test.js)
if ((${#files[@]})); then
  echo "# node --test ${files[*]}"
  node --test --test-concurrency=1 --test-reporter=spec \
    --test-timeout="$((${NLROUTE_TEST_TIMEOUT:-60} * 1000))" "${files[@]}" || status=1
else
  echo "# no dist/test/wireless/*.test.js to run"
fi
exit "$status"
