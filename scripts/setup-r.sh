#!/usr/bin/env bash
# R and its survey package, for cross-checking raking's calibrated standard errors by hand
# (docs/src/weighting.md records the figures; `make test` does not need R). Idempotent.
set -euo pipefail
if Rscript -e 'library(survey); library(MASS)' >/dev/null 2>&1; then
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core r-cran-survey r-cran-mass
