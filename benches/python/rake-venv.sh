#!/usr/bin/env bash
# Idempotent: the venv in which `make bench` times rake against weightipy, balance and ipfn
# (benches/requirements-rake.txt says why it is not .venv), with cemscore installed from a wheel of this
# tree built by .venv's maturin (the same interpreter as `make python`, so cargo rebuilds nothing).
# Usage: benches/python/rake-venv.sh TARGET_DIR  (prints the venv's python)
set -euo pipefail
target=$(realpath -m "${1:?the cargo target directory}")  # absolute: maturin runs from bindings-python
cd "$(dirname "$0")/../.."
venv=$target/bench/rake-venv
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r benches/requirements-rake.txt
rm -rf "$target/bench/rake-wheels"
(cd bindings-python && VIRTUAL_ENV="$PWD/../.venv" PATH="$PWD/../.venv/bin:$PATH" \
  maturin build --release --quiet --interpreter "$PWD/../.venv/bin/python" --out "$target/bench/rake-wheels" >&2)
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$target"/bench/rake-wheels/cemscore-*.whl
echo "$venv/bin/python"
