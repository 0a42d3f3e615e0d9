#!/usr/bin/env bash
# rustc's linker for x86_64-unknown-linux-musl (`make dist-cross`): zig cc with the musl zig ships (libc, start
# files, libunwind), so neither musl-tools nor rustup's self-contained musl objects (absent from Debian's rustc:
# the build passes -C link-self-contained=no) are needed.
CEM_ZIG_TARGET=x86_64-linux-musl exec "$(dirname "$0")/zig-cc.sh" "$@"
