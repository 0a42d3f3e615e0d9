#!/usr/bin/env bash
# Idempotent: creates .venv (once) and installs the pinned packages the project's Python parts need
# (the conformance generator's references, the Python package's build and test tools, pyspark for the
# engine test in local mode, and the release tools: zig, auditwheel, actionlint), and Java 17 for the Spark
# test (Debian's openjdk-17-jre-headless) if `java` is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v java >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
requirements=(conformance/requirements.txt bindings-python/requirements-dev.txt bindings-python/requirements-spark.txt
  bindings-python/requirements-dist.txt)
stamp=.venv/.requirements.stamp
want=$(cat "${requirements[@]}" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  args=()
  for r in "${requirements[@]}"; do args+=(-r "$r"); done
  .venv/bin/pip install --quiet --disable-pip-version-check "${args[@]}"
  echo "$want" > "$stamp"
fi
