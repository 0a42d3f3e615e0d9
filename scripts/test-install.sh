#!/usr/bin/env bash
# Installs each artifact of dist/ (`make dist`) where its users would, in temporary directories outside
# the checkout, and uses it as they would:
#  - the x86_64 Python wheel, after `auditwheel show` confirms its manylinux_2_17 tag, into a fresh venv
#    (made by the project's Python; numpy from PyPI or pip's cache) run with only the venv on PATH (no Rust):
#    import, score, pickle a Tally, a CemError;
#  - each npm tarball into a fresh npm project (offline): @cemscore/wasm alone; @cemscore/node with its
#    linux-x64-gnu package (and @cemscore/wasm, its dependency): ESM import answered by the native addon,
#    CommonJS require, tsc --strict against the installed declarations; @cemscore/node without a platform
#    package: the WebAssembly fallback answers, every conformance vector;
#  - a browser app bundled by esbuild, and the same by Vite, from the installed @cemscore/wasm (code-split),
#    served on 127.0.0.1 and run in Chromium: the .wasm is found and a page scores a CSV without fetching the analytics module;
#    a page that runs key drivers fetches it once;
#  - linux aarch64 under qemu-user-static (scripts/setup-arm64.sh): the aarch64 wheel (manylinux_2_17) with
#    its aarch64 dependencies, imported by an arm64 Python running every conformance vector; @cemscore/node
#    with its linux-arm64-gnu package installed as npm does for an arm64 machine, run by an arm64 node on
#    every conformance vector;
#  - the `cem` binary on a copy of the sample survey;
#  - the crates and the sdist hold the sources they need.
# The test tools (typescript, esbuild, vite, playwright-core) come from bindings-wasm/node_modules, by path.
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
wheel=$(ls "$ROOT"/dist/cemscore-"$VERSION"-*abi3*manylinux_2_17_x86_64.whl)
wheel_arm64=$(ls "$ROOT"/dist/cemscore-"$VERSION"-*abi3*manylinux_2_17_aarch64.whl)
sdist=$ROOT/dist/cemscore-$VERSION.tar.gz
ARM64=${CEM_CACHE:-$HOME/.cache/cem}/arm64
arm64() { qemu-aarch64-static -L "$ARM64/rootfs" "$@"; }

# Each wheel's tag is what its symbols allow (pip on glibc 2.17+ takes it).
for w in "$wheel" "$wheel_arm64"; do
  arch=$(basename "$w" .whl); arch=${arch##*manylinux_2_17_}
  shown=$("$ROOT/.venv/bin/auditwheel" show "$w")
  [[ $(tr -s ' \n' ' ' <<< "$shown") == *"consistent with the following platform tag: \"manylinux_2_17_$arch\""* ]] \
    || { echo "$shown"; echo "$(basename "$w") is not manylinux_2_17"; exit 1; }
done
step "auditwheel: both wheels manylinux_2_17"

# Python: the wheel in a fresh venv, nothing of the checkout (nor Rust) reachable.
"$ROOT/.venv/bin/python" -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check --prefer-binary "$wheel"
cp "$HERE/check_wheel.py" "$TMP/"
(cd "$TMP" && env -i HOME="$HOME" PATH="$TMP/venv/bin" "$TMP/venv/bin/python" -I check_wheel.py "$VERSION")
tar tzf "$sdist" > "$TMP/sdist.txt"
grep -qx "cemscore-$VERSION/cem-core/src/lib.rs" "$TMP/sdist.txt" || { echo "sdist lacks cem-core's sources"; exit 1; }
step "wheel $(basename "$wheel") installed and used; sdist holds the core"

# What each tarball holds: the JS, the declarations, the .wasm, the README, the licences; @cemscore/node no .node
# (its manifest pins one optional package per platform and @cemscore/wasm), each platform package its own.
tar tzf "dist/cemscore-wasm-$VERSION.tgz" > "$TMP/wasm.txt"
tar tzf "dist/cemscore-node-$VERSION.tgz" > "$TMP/node.txt"
for f in pkg/cemscore_wasm_bg.wasm pkg/cemscore_wasm.js pkg/cemscore_analytics_bg.wasm pkg/cemscore_analytics.js index.js analytics.js node.js index.d.ts README.md LICENSE-MIT LICENSE-APACHE; do
  grep -qx "package/$f" "$TMP/wasm.txt" || { echo "@cemscore/wasm lacks $f"; exit 1; }
done
for f in index.js addon.js native.cjs index.d.ts README.md LICENSE-MIT LICENSE-APACHE; do
  grep -qx "package/$f" "$TMP/node.txt" || { echo "@cemscore/node lacks $f"; exit 1; }
done
! grep -q '\.node$' "$TMP/node.txt" || { echo "@cemscore/node holds a .node (the addons belong to the platform packages)"; exit 1; }
tar xzf "dist/cemscore-node-$VERSION.tgz" -O package/package.json > "$TMP/node-package.json"
node "$HERE/check_manifest.mjs" "$TMP/node-package.json" "$ROOT/bindings-node/npm" "$VERSION"
for platform in linux-x64-gnu linux-arm64-gnu; do
  tar tzf "dist/cemscore-node-$platform-$VERSION.tgz" > "$TMP/$platform.txt"
  for f in "cemscore.$platform.node" package.json LICENSE-MIT LICENSE-APACHE; do
    grep -qx "package/$f" "$TMP/$platform.txt" || { echo "@cemscore/node-$platform lacks $f"; exit 1; }
  done
  tar xzf "dist/cemscore-node-$platform-$VERSION.tgz" -O "package/cemscore.$platform.node" > "$TMP/cemscore.$platform.node"
  "$ROOT/.venv/bin/python" "$HERE/glibc_floor.py" "$TMP/cemscore.$platform.node" 2.17
done

# The conformance vectors and their Python and JavaScript drivers, beside each other as in the checkout (the
# drivers find the vectors by relative path), for the installed packages: vectors IN-DIR NODE... runs every vector
# through the @cemscore/node installed in IN-DIR (CEM_BACKEND, CEM_ARCH: what must answer it).
mkdir -p "$TMP/suite/bindings-python/tests" "$TMP/suite/bindings-wasm/tests" "$TMP/suite/conformance"
cp -r conformance/vectors "$TMP/suite/conformance/"
cp bindings-python/tests/test_conformance.py "$TMP/suite/bindings-python/tests/"
cp bindings-wasm/tests/vectors.mjs "$TMP/suite/bindings-wasm/tests/"
vectors() {
  local from=$1 at=$TMP/suite/$(basename "$1"); shift
  mkdir -p "$at/tests" && cp -r "$from/node_modules" "$at/" && cp "$HERE/vectors.test.mjs" "$at/tests/"
  # In-process (qemu runs no arm64 child that a test runner would spawn).
  (cd "$at" && "$@" tests/vectors.test.mjs > "$at/out.txt") || { cat "$at/out.txt"; exit 1; }
  grep -E '^# (pass|fail|skipped)' "$at/out.txt" | tr '\n' ' '; echo
}

# npm: each package in its own fresh project, installed from the tarballs only (offline; the platform packages
# npm does not choose for this machine, not being published, are skipped as optional packages are).
# Usage: project NAME TARBALLS...; npm is "${NPM[@]}" unless the caller sets npm_run.
project() {
  local name=$1; shift
  dir=$TMP/npm-$name
  mkdir -p "$dir" && cd "$dir"
  printf '{ "name": "app-%s", "private": true, "type": "module" }\n' "$name" > package.json
  "${npm_run[@]:-${NPM[@]}}" install "${@/#/$ROOT/dist/}"
  [ ! -L "node_modules/@cemscore/wasm" ] && [ ! -L "node_modules/@cemscore/node" ] || { echo "installed as a link to the checkout"; exit 1; }
  cp "$HERE/check.mjs" "$HERE/check.cjs" .
}
typed() {
  sed "s|\"PKG\"|\"$1\"|" "$HERE/typed.ts" > typed.ts
  printf '{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext", "moduleResolution": "nodenext", "lib": ["es2022", "dom"] }, "files": ["typed.ts"] }\n' > tsconfig.json
  node "$TOOLS/typescript/bin/tsc" -p tsconfig.json
  echo "$1: tsc --strict ok"
}

project wasm "cemscore-wasm-$VERSION.tgz"
node check.mjs @cemscore/wasm && node --no-warnings check.cjs @cemscore/wasm && typed @cemscore/wasm
cd "$ROOT" && step "@cemscore/wasm installed and used"

project node "cemscore-node-$VERSION.tgz" "cemscore-node-linux-x64-gnu-$VERSION.tgz" "cemscore-wasm-$VERSION.tgz"
[ ! -e node_modules/@cemscore/node-linux-arm64-gnu ] || { echo "npm installed the arm64 package on x64"; exit 1; }
node check.mjs @cemscore/node native && node --no-warnings check.cjs @cemscore/node && typed @cemscore/node
cd "$ROOT" && step "@cemscore/node with @cemscore/node-linux-x64-gnu installed and used (native)"

project node-fallback "cemscore-node-$VERSION.tgz" "cemscore-wasm-$VERSION.tgz"
node --no-warnings check.mjs @cemscore/node wasm
CEM_BACKEND=wasm CEM_ARCH=x64 vectors "$dir" node --no-warnings
cd "$ROOT" && step "@cemscore/node without a platform package: the WebAssembly fallback answers every conformance vector"

# linux aarch64 under qemu: the Python wheel and the Node packages on every conformance vector.
# The wheel and its dependencies as pip installs them on an aarch64 machine (aarch64 wheels for the rootfs's
# CPython 3.11, the project's pins; pandas for the counts-table vectors), unpacked by this machine's pip into one
# directory the arm64 Python imports from.
"$ROOT/.venv/bin/python" -m pip install --quiet --disable-pip-version-check --target "$TMP/arm64/site" \
  --platform manylinux_2_17_aarch64 --platform manylinux_2_28_aarch64 --python-version 3.11 --implementation cp \
  --abi cp311 --abi abi3 --abi none --only-binary=:all: \
  -c conformance/requirements.txt -c bindings-python/requirements-dev.txt "$wheel_arm64" pytest pandas
(cd "$TMP/suite" && PYTHONPATH="$TMP/arm64/site" arm64 "$ARM64/rootfs/usr/bin/python3" -c \
  'import platform, cemscore; assert platform.machine() == "aarch64"; print("arm64 Python", platform.python_version(), "imports", cemscore.__file__)' \
  && PYTHONPATH="$TMP/arm64/site" arm64 "$ARM64/rootfs/usr/bin/python3" -m pytest -q -p no:cacheprovider bindings-python/tests/test_conformance.py)
step "aarch64 wheel: the conformance vectors pass in an arm64 Python (qemu)"

# npm itself (this machine's npm, its JavaScript) runs on the arm64 node, so it chooses packages as on arm64.
npm_run=(arm64 "$ARM64/node/package/bin/node" "$(npm root -g)/npm/bin/npm-cli.js" "${NPM[@]:1}")
project node-arm64 "cemscore-node-$VERSION.tgz" "cemscore-node-linux-arm64-gnu-$VERSION.tgz" "cemscore-wasm-$VERSION.tgz"
unset npm_run
[ ! -e node_modules/@cemscore/node-linux-x64-gnu ] || { echo "npm installed the x64 package for arm64"; exit 1; }
arm64 "$ARM64/node/package/bin/node" check.mjs @cemscore/node native
CEM_BACKEND=native CEM_ARCH=arm64 vectors "$dir" arm64 "$ARM64/node/package/bin/node"
cd "$ROOT" && step "@cemscore/node with @cemscore/node-linux-arm64-gnu: the conformance vectors pass in an arm64 node (qemu)"

# The browser: two pages bundled by esbuild from the installed @cemscore/wasm, code-split (the analytics
# module's glue in a chunk of its own), run in Chromium: one only scores, one runs key drivers.
app=$TMP/npm-wasm
cp "$HERE/app.js" "$HERE/drivers.js" "$app/"
mkdir -p "$app/out" && cp "$HERE/index.html" "$HERE/drivers.html" "$app/out/"
(cd "$app" && "$TOOLS/.bin/esbuild" app.js drivers.js --bundle --splitting --format=esm --loader:.wasm=file --outdir=out --log-level=warning)
node "$HERE/browser.mjs" "$app/out" "$TOOLS/playwright-core" esbuild
# The same pages built by Vite (multi-page, its default code-splitting), the .wasm imported with Vite's `?url`.
vite=$app/vite
mkdir -p "$vite" && cp "$HERE/index.html" "$HERE/drivers.html" "$HERE/vite.config.mjs" "$vite/"
for f in app.js drivers.js; do sed 's/\.wasm";$/.wasm?url";/' "$HERE/$f" > "$vite/$f"; done
grep -q '?url' "$vite/drivers.js" || { echo "the Vite app does not import the .wasm by ?url"; exit 1; }
(cd "$vite" && node "$TOOLS/vite/bin/vite.js" build)
node "$HERE/browser.mjs" "$vite/out" "$TOOLS/playwright-core" Vite
step "browser apps bundled by esbuild and Vite and run"

# The cem binary, away from the checkout.
mkdir -p "$TMP/cli" && cp dist/cem examples/survey.csv "$TMP/cli/"
(cd "$TMP/cli" && [ "$(./cem --version)" = "cem $VERSION" ] && ./cem nps survey.csv --answer nps > out.txt && grep -q "^NPS" out.txt)
for c in cem-core cem-cli; do
  tar tzf "dist/$c-$VERSION.crate" > "$TMP/$c.txt"
  grep -qx "$c-$VERSION/LICENSE-MIT" "$TMP/$c.txt" || { echo "$c crate lacks LICENSE-MIT"; exit 1; }
done
step "cem binary and crates"
echo "test-install: every artifact installed and used in $((SECONDS - start)) s"
