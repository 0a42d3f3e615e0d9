#!/usr/bin/env bash
# Idempotent: a venv of its own for a peer that cannot share .venv's pins (the requirements file says why),
# with cemscore installed from a wheel of this tree built by .venv's maturin (the same interpreter as
# `make python`, so cargo rebuilds nothing).
# Usage: benches/python/venv.sh REQUIREMENTS TARGET_DIR  (prints the venv's python)
#   e.g. benches/python/venv.sh benches/requirements-rake.txt target  → target/bench/rake-venv
set -euo pipefail
requirements=$(realpath "${1:?a requirements file, e.g. benches/requirements-rake.txt}")
target=$(realpath -m "${2:?the cargo target directory}")  # absolute: maturin runs from bindings-python
name=$(basename "$requirements" .txt); name=${name#requirements-}
cd "$(dirname "$0")/../.."
venv=$target/bench/$name-venv wheels=$target/bench/$name-wheels
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
rm -rf "$wheels"
(cd bindings-python && VIRTUAL_ENV="$PWD/../.venv" PATH="$PWD/../.venv/bin:$PATH" \
  maturin build --release --quiet --interpreter "$PWD/../.venv/bin/python" --out "$wheels" >&2)
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$wheels"/cemscore-*.whl
echo "$venv/bin/python"
