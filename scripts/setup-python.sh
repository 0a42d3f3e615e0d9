#!/usr/bin/env bash
# Idempotent: creates .venv (once) and installs the pinned packages the project's Python parts need
# (the conformance generator's references, and the Python package's build and test tools).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
stamp=.venv/.requirements.stamp
want=$(cat conformance/requirements.txt bindings-python/requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/pip install --quiet --disable-pip-version-check -r conformance/requirements.txt -r bindings-python/requirements-dev.txt
  echo "$want" > "$stamp"
fi
