#!/usr/bin/env bash
# rustc's linker for aarch64-unknown-linux-musl (`make dist-cross`): as zig-cc-musl-x86_64.sh.
CEM_ZIG_TARGET=aarch64-linux-musl exec "$(dirname "$0")/zig-cc.sh" "$@"
