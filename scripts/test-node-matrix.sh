#!/usr/bin/env bash
# The unit and kernel tests (dist/test, built by the system Node) on Node 22 and 24 as well.
# Each run puts that Node first on PATH, so tests that start `node` child processes use it too.
# The native addon is N-API: the one build loads on every version. Args: test files (default all).
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(dist/test/*.test.js)
status=0
for bin in $(bash scripts/node-versions.sh); do
  dir="$(dirname "$bin")"
  echo "== tests on Node $("$bin" -v)"
  PATH="$dir:$PATH" node --test --test-concurrency=1 "${files[@]}" || status=1
done
exit $status
