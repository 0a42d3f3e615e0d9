#!/usr/bin/env bash
# Idempotent: cargo-fuzz, pinned, cached across clones (≈ 90 s build); nightly Rust comes with the machine.
set -euo pipefail
CARGO_FUZZ=0.13.2
CACHE=${CEM_CACHE:-$HOME/.cache/cem}
if ! "$CACHE/bin/cargo-fuzz" --version 2>/dev/null | grep -q "$CARGO_FUZZ"; then
  cargo install --locked cargo-fuzz --version "=$CARGO_FUZZ" --root "$CACHE" --quiet
fi
