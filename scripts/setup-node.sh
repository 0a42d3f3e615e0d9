#!/usr/bin/env bash
# Idempotent: the Node package's npm dev dependencies (@napi-rs/cli, pinned in package.json).
set -euo pipefail
cd "$(dirname "$0")/../bindings-node"
if [ ! -d node_modules ] || [ package.json -nt node_modules ]; then
  npm install --silent --no-audit --no-fund
fi
