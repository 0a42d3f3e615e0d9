# One entry point per job. `make demo` runs the main job; `make test` runs every test of every language.
SHELL := /bin/bash
.DEFAULT_GOAL := demo
PY := .venv/bin/python

.PHONY: demo test test-core test-python vectors check-vectors setup-python python

demo:
	cargo run --release -q -p cem-core --example demo

test: test-core check-vectors test-python
	@echo "all tests passed"

# Rust: unit, doc, conformance, property and exact-coverage tests; docs and lints warning-free.
test-core:
	cargo test --workspace
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
