#!/usr/bin/env bash
# `npm run test:wireless`: compile, then in ONE VM boot run test/wireless/smoke.sh
# and every dist/test/wireless/*.test.js (or the files given) with node:test.
# Usage: scripts/vm/run-tests.sh [dist/test/wireless/x.test.js ...]
# NLROUTE_SKIP_BUILD=1 skips tsc; VM settings come from the NLROUTE_VM_* env vars.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

if [[ ${NLROUTE_VM:-} != 1 ]]; then
  if [[ ${NLROUTE_SKIP_BUILD:-0} != 1 ]]; then
    npx tsc -p tsconfig.json
  fi
  exec "$repo/scripts/vm/run.sh" -- bash "$repo/scripts/vm/run-tests.sh" "$@"
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
  node --test --test-concurrency=1 --test-reporter=spec "${files[@]}" || status=1
else
  echo "# no dist/test/wireless/*.test.js to run"
fi
exit "$status"
