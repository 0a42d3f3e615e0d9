#!/usr/bin/env bash
# Idempotent: mdbook, pinned, cached across clones (a ~4.5 min build from crates.io).
set -euo pipefail
MDBOOK=0.5.4
CACHE=${CEM_CACHE:-$HOME/.cache/cem}
if ! "$CACHE/bin/mdbook" --version 2>/dev/null | grep -q "v$MDBOOK"; then
  cargo install --locked mdbook --version "=$MDBOOK" --root "$CACHE" --quiet
fi
