#!/bin/bash
# Run this branch's defect tests against the library of an older commit, to show that each one
# failed before its fix: the old src/ is exported to a scratch directory, the current test/ is
# copied in, compiled (type errors allowed), and every test file runs with TAP output.
#
#   scripts/defects-before.sh OLD_COMMIT OUT_DIR test-name...
#   scripts/defects-before.sh 21ce38a /tmp/defects-before rtnl-records records2-defects
set -u
OLD=$1 OUT=$2
shift 2
W=$(cd "$(dirname "$0")/.." && pwd)
D=$OUT/tree
mkdir -p "$OUT"
if [ ! -d "$D/src" ]; then
  mkdir -p "$D" && (cd "$W" && git archive "$OLD") | tar -x -C "$D"
  ln -sfn "$W/node_modules" "$D/node_modules"
  cp -r "$W/build" "$D/build"
fi
rm -rf "$D/test" && cp -r "$W/test" "$D/test"
inc=$(for f in "$@"; do printf '"test/%s.test.ts",' "$f"; done)
cat > "$D/tsconfig.before.json" <<J
{ "extends": "./tsconfig.json", "compilerOptions": { "noEmitOnError": false, "incremental": true },
  "include": ["src/**/*.ts", "test/helpers/*.ts", ${inc%,}] }
J
cd "$D" || exit 1
npx tsc -p tsconfig.before.json > "$OUT/tsc.log" 2>&1
node scripts/bundle.mjs > "$OUT/bundle.log" 2>&1
# A name the old library lacks becomes undefined, so each test using it fails alone.
node "$W/scripts/defects-unimport.mjs" $(for f in "$@"; do echo "dist/test/$f.test.js"; done) dist/test/helpers/*.js
for f in "$@"; do
  timeout 600 node --test --test-reporter=tap "dist/test/$f.test.js" > "$OUT/$f.tap" 2>&1
  echo "$f: $(grep -cE '^ *ok [0-9]+ - ' "$OUT/$f.tap") ok, $(grep -cE '^ *not ok [0-9]+ - ' "$OUT/$f.tap") not ok"
done
