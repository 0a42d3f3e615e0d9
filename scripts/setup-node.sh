#!/usr/bin/env bash
# Idempotent: the Node package's npm dev dependencies (@napi-rs/cli), exactly as package-lock.json pins
# them (`npm ci`: the lock file is complete, every platform's optional packages included, so no build
# rewrites it). Re-run when the lock file changes (a stamp holds its hash).
set -euo pipefail
cd "$(dirname "$0")/../bindings-node"
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.cem-stamp 2>/dev/null)" != "$want" ]; then
  npm ci --silent --no-audit --no-fund
  echo "$want" > node_modules/.cem-stamp
fi
