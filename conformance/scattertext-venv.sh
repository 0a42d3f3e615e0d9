#!/usr/bin/env bash
# Idempotent: the venv in which conformance/scattertext_reference.py runs (conformance/requirements-scattertext.txt
# says why it is not .venv). Not part of `make test` or CI: only `make scattertext-vectors` uses it. Not
# benches/python/venv.sh: that one installs a cemscore wheel, and the reference never imports cem.
# Usage: conformance/scattertext-venv.sh TARGET_DIR  (prints the venv's python)
set -euo pipefail
target=$(realpath -m "${1:?the cargo target directory}")
cd "$(dirname "$0")/.."
venv=$target/bench/scattertext-venv
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r conformance/requirements-scattertext.txt
echo "$venv/bin/python"
