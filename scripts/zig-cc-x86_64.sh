#!/usr/bin/env bash
# rustc's linker for x86_64-unknown-linux-gnu: zig cc against glibc 2.17 (scripts/zig-cc.sh says why).
CEM_ZIG_TARGET=x86_64-linux-gnu.2.17 exec "$(dirname "$0")/zig-cc.sh" "$@"
