#!/usr/bin/env bash
# Idempotent: everything the WebAssembly package needs on a fresh Debian machine.
#  - Debian's wasm32 Rust toolchain (rustup here has no wasm32 target): rustc-web, cargo-web, std sources,
#    rust-lld; Chromium for the browser tests;
#  - wasm-bindgen-cli pinned to the crate's version (cached across clones: ~6.5 min to build);
#  - npm packages (binaryen's wasm-opt, playwright-core, typescript, esbuild and vite for the install test's browser
#    app) from bindings-wasm/package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
WASM_BINDGEN=0.2.130
CACHE=${CEM_CACHE:-$HOME/.cache/cem}

missing=()
for p in rustc-web cargo-web rust-web-src rust-web-llvm lld-22 chromium; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! "$CACHE/bin/wasm-bindgen" --version 2>/dev/null | grep -q " $WASM_BINDGEN\$"; then
  # No --locked: the CLI's own lock pins a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN" --root "$CACHE" --quiet
fi

# Exactly as package-lock.json pins them (`npm ci` never rewrites it); again when it changes (a stamp holds its hash).
want=$(sha256sum bindings-wasm/package-lock.json | cut -d' ' -f1)
if [ "$(cat bindings-wasm/node_modules/.cem-stamp 2>/dev/null)" != "$want" ]; then
  (cd bindings-wasm && npm ci --silent --no-audit --no-fund)
  echo "$want" > bindings-wasm/node_modules/.cem-stamp
fi
