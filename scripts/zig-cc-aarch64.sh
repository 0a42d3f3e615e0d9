#!/usr/bin/env bash
# rustc's linker for aarch64-unknown-linux-gnu: zig cc against glibc 2.17 (scripts/zig-cc.sh says why).
CEM_ZIG_TARGET=aarch64-linux-gnu.2.17 exec "$(dirname "$0")/zig-cc.sh" "$@"
