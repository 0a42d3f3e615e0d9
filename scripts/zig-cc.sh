#!/usr/bin/env bash
# rustc's linker for the Linux builds `make dist` ships (the aarch64 wheel, both Node addons): zig cc for
# $CEM_ZIG_TARGET, set by zig-cc-aarch64.sh and zig-cc-x86_64.sh (the linkers cargo is given), so they run
# where manylinux2014 does (glibc ≥ 2.17; this machine's own linker would tie them to its glibc 2.36). One
# linker for the aarch64 wheel and addon, so cargo (whose fingerprint holds the linker's path) builds std and
# cem-core once for both. As cargo-zigbuild does, -lgcc_s becomes zig's libunwind (zig ships no libgcc_s).
# Zig is the venv's (PyPI ziglang, scripts/setup-python.sh).
set -euo pipefail
args=()
for a in "$@"; do
  case $a in
    -lgcc_s) args+=(-lunwind) ;;
    *) args+=("$a") ;;
  esac
done
exec "$(dirname "$0")/../.venv/bin/python" -m ziglang cc -target "$CEM_ZIG_TARGET" "${args[@]}"
