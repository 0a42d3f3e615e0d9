#!/usr/bin/env bash
# Idempotent: what `make dist-cross` (opt-in, not part of `make test`) needs on a fresh Debian machine (x86_64):
#  - Debian's rustc-web, cargo-web, rust-web-src (as for the WASM and aarch64 builds): rustup's std for musl and
#    Windows is not reachable here, so std is built from its sources with -Zbuild-std. Debian's own
#    libstd-rust-dev-windows is std 1.63, not the rustc 1.96 of rustc-web, so it cannot be used;
#  - gcc-mingw-w64-x86-64 (the Windows linker, its C runtime, and dlltool, which rustc needs for pyo3's
#    raw-dylib import of python3.dll);
#  - wine64 runs cem.exe and cem-core's tests; its prefix is made once in $CACHE/wine, with a stand-in for the
#    one DLL wine 8 lacks (scripts/wine/bcryptprimitives.c);
#  - musl: zig (the venv's, from setup-python.sh) ships musl's libc, start files and libunwind, so
#    musl-tools is not needed (scripts/zig-cc-musl-x86_64.sh); Debian's `musl` (the C library alone) gives
#    scripts/check-cross.sh musl's loader, to resolve the musllinux wheel's module against. It is unpacked into
#    $CACHE/musl, never installed: a system-wide /lib/ld-musl-x86_64.so.1 makes snappy-java (in Spark) load
#    its musl build on this glibc machine, and `make test`'s Spark tests then fail.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${CEM_CACHE:-$HOME/.cache/cem}

missing=()
for p in rustc-web cargo-web rust-web-src rust-web-llvm gcc-mingw-w64-x86-64 wine64; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A wine prefix of our own (made once: wineboot takes ~20 s), quiet, without a display.
# Debian's wine64 package installs the loader here (/usr/bin/wine comes with the `wine` package, not needed).
export WINEPREFIX=$CACHE/wine WINEDEBUG=-all
WINE=/usr/lib/wine/wine64
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  rm -rf "$WINEPREFIX" && mkdir -p "$CACHE"
  "$WINE" wineboot --init >/dev/null 2>&1
  /usr/lib/wine/wineserver -w
fi
# Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's std imports (every Windows 10+ has it): a
# stand-in in the prefix only (scripts/wine/bcryptprimitives.c).
dll=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
if [ ! -f "$dll" ] || [ scripts/wine/bcryptprimitives.c -nt "$dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -o "$dll" scripts/wine/bcryptprimitives.c -ladvapi32
fi
[ "$("$WINE" cmd /c echo ok 2>/dev/null | tr -d '\r')" = ok ]

# musl's loader (see above), unpacked from Debian's package into the cache.
if [ ! -x "$CACHE/musl/lib/x86_64-linux-musl/libc.so" ]; then
  tmp=$(mktemp -d) && (cd "$tmp" && apt-get download -qq musl >/dev/null 2>&1 || { apt-get update -qq && apt-get download -qq musl; })
  rm -rf "$CACHE/musl" && dpkg-deb -x "$tmp"/musl_*.deb "$CACHE/musl" && rm -rf "$tmp"
fi
