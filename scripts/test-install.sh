#!/usr/bin/env bash
# Installs each artifact of dist/ (`make dist`) where its users would, in temporary directories outside
# the checkout, and uses it as they would:
#  - the Python wheel into a fresh venv (made by the project's Python; numpy from PyPI or pip's cache) run
#    with only the venv on PATH (no Rust): import, score, pickle a Tally, a CemError;
#  - each npm tarball into a fresh npm project (`npm install <tarball>`, offline: neither has dependencies):
#    ESM import, CommonJS require, tsc --strict against the installed declarations;
#  - a browser app bundled by esbuild from the installed @cemscore/wasm (code-split), served on 127.0.0.1
#    and run in Chromium: the .wasm is found and a page scores a CSV without fetching the analytics module;
#    a page that runs key drivers fetches it once;
#  - the `cem` binary on a copy of the sample survey;
#  - the crates and the sdist hold the sources they need.
# The test tools (typescript, esbuild, playwright-core) come from bindings-wasm/node_modules, by path.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HERE=$ROOT/scripts/install
TOOLS=$ROOT/bindings-wasm/node_modules
VERSION=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cem-install-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
step() { echo "test-install: $1 ($((SECONDS - start)) s)"; }
NPM=(npm --silent --no-audit --no-fund --offline)

start=$SECONDS
wheel=$(ls "$ROOT"/dist/cemscore-"$VERSION"-*abi3*.whl)
sdist=$ROOT/dist/cemscore-$VERSION.tar.gz

# Python: the wheel in a fresh venv, nothing of the checkout (nor Rust) reachable.
"$ROOT/.venv/bin/python" -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check --prefer-binary "$wheel"
cp "$HERE/check_wheel.py" "$TMP/"
(cd "$TMP" && env -i HOME="$HOME" PATH="$TMP/venv/bin" "$TMP/venv/bin/python" -I check_wheel.py "$VERSION")
tar tzf "$sdist" > "$TMP/sdist.txt"
grep -qx "cemscore-$VERSION/cem-core/src/lib.rs" "$TMP/sdist.txt" || { echo "sdist lacks cem-core's sources"; exit 1; }
step "wheel $(basename "$wheel") installed and used; sdist holds the core"

# What each tarball holds: the JS, the declarations, the .wasm / this platform's .node, the README, the licences.
tar tzf "dist/cemscore-wasm-$VERSION.tgz" > "$TMP/wasm.txt"
tar tzf "dist/cemscore-node-$VERSION.tgz" > "$TMP/node.txt"
for f in pkg/cemscore_wasm_bg.wasm pkg/cemscore_wasm.js pkg/cemscore_analytics_bg.wasm pkg/cemscore_analytics.js index.js analytics.js node.js index.d.ts README.md LICENSE-MIT LICENSE-APACHE; do
  grep -qx "package/$f" "$TMP/wasm.txt" || { echo "@cemscore/wasm lacks $f"; exit 1; }
done
for f in index.js native.cjs index.d.ts README.md LICENSE-MIT LICENSE-APACHE; do
  grep -qx "package/$f" "$TMP/node.txt" || { echo "@cemscore/node lacks $f"; exit 1; }
done
grep -q '^package/cemscore\..*\.node$' "$TMP/node.txt" || { echo "@cemscore/node lacks its .node"; exit 1; }

# npm: each tarball in its own fresh project.
for pkg in wasm node; do
  dir=$TMP/npm-$pkg
  mkdir -p "$dir" && cd "$dir"
  printf '{ "name": "app-%s", "private": true, "type": "module" }\n' "$pkg" > package.json
  "${NPM[@]}" install "$ROOT/dist/cemscore-$pkg-$VERSION.tgz"
  [ ! -L "node_modules/@cemscore/$pkg" ] || { echo "installed as a link to the checkout"; exit 1; }
  cp "$HERE/check.mjs" "$HERE/check.cjs" .
  node check.mjs "@cemscore/$pkg"
  node --no-warnings check.cjs "@cemscore/$pkg"
  sed "s|\"PKG\"|\"@cemscore/$pkg\"|" "$HERE/typed.ts" > typed.ts
  printf '{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext", "moduleResolution": "nodenext", "lib": ["es2022", "dom"] }, "files": ["typed.ts"] }\n' > tsconfig.json
  node "$TOOLS/typescript/bin/tsc" -p tsconfig.json
  echo "@cemscore/$pkg: tsc --strict ok"
  cd "$ROOT"
  step "@cemscore/$pkg installed and used"
done

# The browser: two pages bundled by esbuild from the installed @cemscore/wasm, code-split (the analytics
# module's glue in a chunk of its own), run in Chromium: one only scores, one runs key drivers.
app=$TMP/npm-wasm
cp "$HERE/app.js" "$HERE/drivers.js" "$app/"
mkdir -p "$app/out" && cp "$HERE/index.html" "$HERE/drivers.html" "$app/out/"
(cd "$app" && "$TOOLS/.bin/esbuild" app.js drivers.js --bundle --splitting --format=esm --loader:.wasm=file --outdir=out --log-level=warning)
node "$HERE/browser.mjs" "$app/out" "$TOOLS/playwright-core"
step "browser app bundled and run"

# The cem binary, away from the checkout.
mkdir -p "$TMP/cli" && cp dist/cem examples/survey.csv "$TMP/cli/"
(cd "$TMP/cli" && [ "$(./cem --version)" = "cem $VERSION" ] && ./cem nps survey.csv --answer nps > out.txt && grep -q "^NPS" out.txt)
for c in cem-core cem-cli; do
  tar tzf "dist/$c-$VERSION.crate" > "$TMP/$c.txt"
  grep -qx "$c-$VERSION/LICENSE-MIT" "$TMP/$c.txt" || { echo "$c crate lacks LICENSE-MIT"; exit 1; }
done
step "cem binary and crates"
echo "test-install: every artifact installed and used in $((SECONDS - start)) s"
