#!/usr/bin/env bash
# Consumer test (run by .ci/run): pack the package as npm would publish it, install the tarball in
# a scratch project, and run what a user would: an ES module, a CommonJS script, strict TypeScript
# compiled with nodenext (ESM) and node16 (CommonJS), and node10 resolution of the sub-paths.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tsc="$root/node_modules/typescript/bin/tsc"

tarball="$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed $tarball ($(du -k "$work/$tarball" | cut -f1) KiB); contents:"
tar -tzf "$work/$tarball" | sed 's|^package/||' | awk -F/ '{print $1 "/" $2}' | sort | uniq -c | sort -rn | head -8

cd "$work"
echo '{ "name": "consumer", "private": true }' > package.json
npm install --no-audit --no-fund --silent "./$tarball" "@types/node@20"
cp "$root/test/consumer/esm.mjs" "$root/test/consumer/cjs.cjs" .
node esm.mjs
node cjs.cjs

# fast-check is an optional peer: without it the root works and graft-ad/testing names it.
if node -e 'import("graft-ad/testing").then(() => process.exit(1), (e) => process.exit(/fast-check/.test(String(e)) ? 0 : 1))'; then
  echo "consumer: graft-ad/testing without fast-check names the missing peer"
else
  echo "consumer: importing graft-ad/testing without fast-check should fail naming fast-check" >&2
  exit 1
fi

for mode in esm:nodenext:module cjs:node16:commonjs; do
  IFS=: read -r name resolution type <<<"$mode"
  mkdir -p "ts-$name"
  cp "$root/test/consumer/strict.ts" "ts-$name/index.ts"
  echo "{ \"type\": \"$type\" }" > "ts-$name/package.json"
  cat > "ts-$name/tsconfig.json" <<JSON
{ "compilerOptions": { "strict": true, "module": "$resolution", "moduleResolution": "$resolution", "target": "es2022",
  "outDir": "out", "types": ["node"], "typeRoots": ["../node_modules/@types"], "skipLibCheck": false }, "files": ["index.ts"] }
JSON
  (cd "ts-$name" && node "$tsc" -p . && node out/index.js)
done

# The old node10 resolution finds the sub-paths through typesVersions (types only).
mkdir -p ts-node10 && cp "$root/test/consumer/strict.ts" ts-node10/index.ts
cat > ts-node10/tsconfig.json <<JSON
{ "compilerOptions": { "strict": true, "module": "commonjs", "moduleResolution": "node10", "target": "es2022",
  "noEmit": true, "types": ["node"], "typeRoots": ["../node_modules/@types"], "ignoreDeprecations": "5.0" }, "files": ["index.ts"] }
JSON
(cd ts-node10 && node "$tsc" -p .) && echo "consumer ts node10 ok (types)"
echo "consumer test ok"
