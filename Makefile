# One entry point per job. `make demo` runs the main job; `make test` runs every test of every language.
SHELL := /bin/bash
.DEFAULT_GOAL := demo
PY := .venv/bin/python

.PHONY: demo test test-core test-python vectors check-vectors setup-python python

# The main job: the cem command on the bundled survey — scores, the region benchmark, the monthly trend
# and the touchpoints' effort, with the effects built into examples/generate_survey.py.
CEM := target/release/cem
demo:
	cargo build --release -q -p cem-cli
	$(CEM) nps examples/survey.csv --answer nps
	@echo
	$(CEM) nps examples/survey.csv --answer nps --segment region
	@echo
	$(CEM) nps examples/survey.csv --answer nps --trend date
	@echo
	$(CEM) ces examples/survey.csv --answer ces --segment touchpoint

test: test-core check-vectors test-python
	@echo "all tests passed"

# Rust: unit, doc, conformance, property and exact-coverage tests, the CLI's; docs and lints warning-free.
# (`cargo test` runs the default members; the bindings are tested through their own languages.)
test-core:
	cargo test
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
	cargo clippy --workspace --all-targets -- -D warnings
	cargo fmt --check

# Python: build cemscore into .venv (release) and run pytest: vectors, inputs, errors, pickling,
# threads, Dask, mypy --strict on the stubs, and the quickstart notebook in a real kernel.
python: setup-python
	cd bindings-python && VIRTUAL_ENV=$(CURDIR)/.venv PATH=$(CURDIR)/.venv/bin:$$PATH maturin develop --release --quiet

test-python: python
	$(PY) -m pytest bindings-python/tests -q

setup-python:
	bash scripts/setup-python.sh

# Regenerates the conformance vectors from the references (statsmodels, scipy, numpy).
vectors: setup-python
	$(PY) conformance/generate.py

# Fails if the committed vectors are not exactly what the generator writes.
check-vectors: vectors
	git diff --exit-code --stat -- conformance/vectors
