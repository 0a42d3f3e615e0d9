# One entry point per job. `make demo` runs the main job; `make test` runs every test of every language.
SHELL := /bin/bash
.DEFAULT_GOAL := demo
PY := .venv/bin/python
# Where cargo builds: ./target, or wherever CARGO_TARGET_DIR (or a cargo config) puts it — asked, not assumed.
TARGET := $(shell cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')

.PHONY: dist arm64 dist-cross test-install lint-workflows demo test bench docs test-core test-python test-wasm test-node vectors check-vectors scattertext-vectors setup-python python wasm node fuzz fuzz-smoke test-clock

# The main job: the cem command on the bundled survey — scores, the region benchmark, the quarterly trend per region
# and the touchpoints' effort, the key drivers, and what detractors' comments say that promoters' do not, with the
# effects built into examples/generate_survey.py.
CEM := $(TARGET)/release/cem
demo:
	cargo build --release -q -p cem-cli
	$(CEM) nps examples/survey.csv --answer nps
	@echo
	$(CEM) nps examples/survey.csv --answer nps --segment region
	@echo
	$(CEM) nps examples/survey.csv --answer nps --trend date --every quarter --segment region
	@echo
	$(CEM) ces examples/survey.csv --answer ces --segment touchpoint
	@echo
	$(CEM) drivers examples/survey.csv --outcome nps --drivers ease,speed,price,agent --scale 1..5 --missing skip
	@echo
	$(CEM) discover examples/survey.csv --answer nps --attributes region,channel,touchpoint --depth 3 --show productive --limit 10
	$(CEM) keyness examples/survey.csv --text comment --answer nps --limit 15
	@echo
	@echo "NPS weighted to the customer base's mix of regions and channels (examples/margins.csv):"
	$(CEM) nps examples/survey.csv --answer nps --margins examples/margins.csv

TEST_STEPS := test-core check-vectors fuzz-smoke test-python test-wasm test-node test-install lint-workflows
test: test-clock $(foreach step,$(TEST_STEPS),$(step) clock-after-$(step))
	@echo "time of each step (s):"
	@awk 'NR == 1 { start = last = $$2; next } { printf "  %-14s %6d\n", $$1, $$2 - last; last = $$2 } \
	  END { printf "  %-14s %6d  (%d min %d s)\n", "total", last - start, (last - start) / 60, (last - start) % 60 }' $(CLOCK)
	@echo "all tests passed"

# The time of each step of `make test`: make runs the steps in the order listed, each followed by its
# clock mark (the seconds since the epoch, appended to $(CLOCK)); `test` prints the differences at its end.
CLOCK := $(TARGET)/make-test-clock
test-clock:
	@mkdir -p $(TARGET) && echo "start $$(date +%s)" > $(CLOCK)
clock-after-%:
	@echo "$* $$(date +%s)" >> $(CLOCK)

# Rust: unit, doc, conformance, property and exact-coverage tests, the CLI's; docs and lints warning-free.
# (`cargo test` runs the default members; the bindings are tested through their own languages.)
test-core:
	cargo test
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
	cargo clippy --workspace --all-targets -- -D warnings
	cargo fmt --check

# Python: build cemscore into .venv (release), lint with ruff (ruff.toml), and run pytest: vectors, inputs,
# errors, pickling, threads, the engines (DuckDB, Polars, Dask, PySpark in local mode on Java 17), the stubs
# against the module (mypy.stubtest) and under mypy --strict, the result TypedDicts against real results,
# and the quickstart notebook in a real kernel.
PY_SOURCES := bindings-python/python bindings-python/tests bindings-python/examples conformance/*.py examples/*.py
python: setup-python
	cd bindings-python && VIRTUAL_ENV=$(CURDIR)/.venv PATH=$(CURDIR)/.venv/bin:$$PATH maturin develop --release --quiet

test-python: python
	$(PY) -m ruff check $(PY_SOURCES)
	$(PY) -m pytest bindings-python/tests -q

# WebAssembly: Debian's wasm32 toolchain (std built from source for size, with 128-bit SIMD, which every current
# browser and Node ≥ 16 run), wasm-bindgen, wasm-opt -Oz; tests in
# Node (every vector, inputs, errors, tsc --strict, size) and in Chromium (the demo page).
CACHE ?= $(HOME)/.cache/cem
# Two modules from the one crate (docs/src/javascript.md, "Two modules"): the lean module (feature `scores`,
# pkg/cemscore_wasm*) that every page loads, and the analytics module (feature `analytics`,
# pkg/cemscore_analytics*) that `loadAnalytics()` fetches on first use.
WASM_DIR := $(TARGET)/wasm/wasm32-unknown-unknown/wasm
WASM_BUILD := PATH=/usr/bin:$$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(TARGET)/wasm \
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Ctarget-feature=+simd128" /usr/bin/cargo build \
  --quiet --profile wasm --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort \
  -Zbuild-std-features=optimize_for_size -p cemscore-wasm --no-default-features --features
WASM_OPT := bindings-wasm/node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers
wasm:
	bash scripts/setup-wasm.sh
	$(WASM_BUILD) scores && cp $(WASM_DIR)/cemscore_wasm.wasm $(WASM_DIR)/lean.wasm
	$(WASM_BUILD) analytics && cp $(WASM_DIR)/cemscore_wasm.wasm $(WASM_DIR)/analytics.wasm
	rm -rf bindings-wasm/pkg
	$(CACHE)/bin/wasm-bindgen --target web --no-typescript --out-dir bindings-wasm/pkg --out-name cemscore_wasm $(WASM_DIR)/lean.wasm
	$(CACHE)/bin/wasm-bindgen --target web --no-typescript --out-dir bindings-wasm/pkg --out-name cemscore_analytics $(WASM_DIR)/analytics.wasm
	@for m in wasm analytics; do f=bindings-wasm/pkg/cemscore_$${m}_bg.wasm; $(WASM_OPT) $$f -o $$f; \
	  echo "$$f: $$(stat -c %s $$f) bytes, $$(gzip -9 -c $$f | wc -c) gzipped"; done

test-wasm: wasm
	cd bindings-wasm && node --test tests/

# Node: the napi-rs addon; tests: every vector, errors, async variants, identical results to the WASM package.
node:
	bash scripts/setup-node.sh
	cd bindings-node && npx napi build --platform --release --js native.cjs --dts native.d.ts >/dev/null
	# One set of declarations for both packages: the WASM package's, plus the async variants.
	cat bindings-wasm/index.d.ts bindings-node/async.d.ts > bindings-node/index.d.ts

test-node: node wasm
	cd bindings-node && node --test tests/

# Fuzzing (cargo-fuzz, nightly, AddressSanitizer): every target for FUZZ_SECONDS each; a finding stops
# the run and leaves its input in fuzz/artifacts/ (turn it into a regression test or vector).
# `make test` runs a short smoke of each.
FUZZ_TARGETS := tally metrics benchmark csv serde drivers
FUZZ_SECONDS ?= 120
fuzz:
	bash scripts/setup-fuzz.sh
	@mkdir -p $(TARGET)/fuzz-logs; for t in $(FUZZ_TARGETS); do \
	  log=$(TARGET)/fuzz-logs/$$t.log; \
	  PATH=$(CACHE)/bin:$$PATH cargo +nightly fuzz run --fuzz-dir fuzz $$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 > $$log 2>&1 \
	    || { tail -n 60 $$log; echo "fuzz $$t found a failure: see fuzz/artifacts/$$t"; exit 1; }; \
	  echo "fuzz $$t: $$(grep -o 'stat::number_of_executed_units: [0-9]*' $$log | grep -o '[0-9]*$$') runs in $(FUZZ_SECONDS) s, no failure"; \
	done

fuzz-smoke:
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=15

# Benchmarks (not part of `make test`: timings are reported, never asserted): criterion for the core,
# the Python and JS peers each in one process, then docs/src/benchmarks.md and its chart from that run.
bench: node wasm python
	$(PY) -m pip install --quiet --disable-pip-version-check -r benches/requirements.txt
	cargo bench -p cem-benches --bench core
	cargo bench -p cem-benches --bench drivers
	cargo bench -p cem-benches --bench discover
	cargo bench -p cem-benches --bench rake
	cargo bench -p cem-benches --bench keyness
	$(PY) benches/python/peers.py --out $(TARGET)/bench/python.json
	$(PY) benches/python/drivers_peers.py
	$$(bash benches/python/venv.sh benches/requirements-discover.txt $(TARGET)) benches/python/discover_peers.py --out $(TARGET)/bench/discover.json
	$$(bash benches/python/venv.sh benches/requirements-rake.txt $(TARGET)) benches/python/rake_peers.py --out $(TARGET)/bench/rake.json
	$(PY) benches/python/keyness_peers.py --out $(TARGET)/bench/keyness.json
	$(PY) benches/python/engines.py --rows 100000000 --out $(TARGET)/bench/engines.json --data $(TARGET)/bench/engines.parquet
	cargo build --release --quiet -p cem-benches --bin kernel_sse2
	CARGO_TARGET_DIR=$(TARGET) node benches/js/peers.mjs $(TARGET)/bench/js.json
	node benches/js/first_call.mjs
	node benches/js/keyness_browser.mjs 100000 $(TARGET)/bench/keyness_browser.json
	CARGO_TARGET_DIR=$(TARGET) $(PY) benches/report.py

# The book (docs/): its Rust, Python and JavaScript samples run in test-core, test-python and test-node.
docs:
	bash scripts/setup-docs.sh
	$(CACHE)/bin/mdbook build docs

setup-python:
	bash scripts/setup-python.sh

# Regenerates the conformance vectors from the references (statsmodels, scipy, numpy).
vectors: setup-python
	$(PY) conformance/generate.py

# keyness against scattertext (conformance/vectors/keyness_scattertext.json), in scattertext's own venv:
# not part of `make vectors`, `make check-vectors`, `make test` or CI (conformance/scattertext_reference.py).
scattertext-vectors:
	$$(bash conformance/scattertext-venv.sh $(TARGET)) conformance/scattertext_reference.py

# Fails if the committed vectors are not what the generator writes, under this CPU's OpenBLAS kernel and
# under an old one forced (Prescott, SSE3): inputs exactly, expected values to 1e-11 (conformance/check.py).
# Writes to cargo's target directory, never over the committed files.
# The CPU's own kernel is this CPU's even when the caller forces one (OPENBLAS_CORETYPE=… make check-vectors).
check-vectors: setup-python
	@for kernel in this-cpu Prescott; do \
	  out=$(TARGET)/vectors-$$kernel; rm -rf $$out; \
	  if [ $$kernel = this-cpu ]; then kernel_env="-u OPENBLAS_CORETYPE"; else kernel_env="OPENBLAS_CORETYPE=$$kernel"; fi; \
	  env $$kernel_env $(PY) conformance/generate.py --out $$out >/dev/null \
	    && $(PY) conformance/check.py conformance/vectors $$out "OpenBLAS kernel: $$kernel" || exit 1; \
	done

# Release artifacts, into dist/ (gitignored): the Python abi3 wheels (x86_64 and aarch64, manylinux2014: glibc
# ≥ 2.17, so RHEL 7+, Amazon Linux 2+, Ubuntu 14.04+) and sdist, the npm tarballs of @cemscore/wasm and
# @cemscore/node as napi-rs publishes (the root without a .node, one package per platform: here linux-x64-gnu and
# linux-arm64-gnu; scripts/pack-node.mjs), the crates cem-core and cem-cli (verified: built from the packaged
# sources, dependencies from crates.io), and the `cem` binary. One version for all: [workspace.package] in
# Cargo.toml (cem-core/tests/release.rs checks every manifest agrees). The other platforms (macOS, Windows,
# musl) are built and tested on their own runners by .github/workflows/release.yml (docs/src/release.md).
# zig (PyPI ziglang) links the x86_64 wheel and addon against glibc 2.17 from this machine's newer one, in their
# own target directory (the development builds link with this machine's linker, so sharing would rebuild both).
MANYLINUX := $(TARGET)/manylinux
dist: setup-python wasm node arm64
	rm -rf dist && mkdir -p dist
	cd bindings-python && PATH=$(CURDIR)/.venv/bin:$$PATH CARGO_TARGET_DIR=$(MANYLINUX) ../$(PY) -m maturin build \
	  --release --quiet --zig --compatibility manylinux2014 --out ../dist
	CARGO_TARGET_DIR=$(MANYLINUX) CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER=$(CURDIR)/scripts/zig-cc-x86_64.sh \
	  cargo build --quiet --release --target x86_64-unknown-linux-gnu -p cemscore-node
	cp $(MANYLINUX)/x86_64-unknown-linux-gnu/release/libcemscore_node.so $(MANYLINUX)/cemscore.linux-x64-gnu.node
	cp $(ARM64_OUT)/cemscore-*.whl dist/
	cd bindings-python && ../$(PY) -m maturin sdist --out ../dist
	# The licences travel in each package (copied in, gitignored: one copy in the repository).
	cp LICENSE-MIT LICENSE-APACHE bindings-wasm/
	cd bindings-wasm && npm pack --silent --pack-destination ../dist
	node scripts/pack-node.mjs dist $(MANYLINUX)/cemscore.linux-x64-gnu.node $(ARM64_OUT)/cemscore.linux-arm64-gnu.node
	# cem-cli is verified against the cem-core just packaged, which cargo extracts into its registry cache
	# keyed by version only: an extraction left by an earlier build of the same version would be used instead,
	# and so would the verification's earlier build of it in $(TARGET)/debug (cargo never rechecks a registry
	# crate's sources): both are removed.
	rm -rf $${CARGO_HOME:-$$HOME/.cargo}/registry/src/*/cem-core-[0-9]* $(TARGET)/package $(TARGET)/debug/.fingerprint/cem-core-*
	cargo package --quiet --allow-dirty -p cem-core -p cem-cli
	cp $(TARGET)/package/cem-core-*.crate $(TARGET)/package/cem-cli-*.crate dist/
	cargo build --release --quiet -p cem-cli && cp $(TARGET)/release/cem dist/
	@ls -l dist

# linux aarch64, cross-built here: Debian's rustc-web builds std for aarch64-unknown-linux-gnu from its sources
# (rustup's aarch64 std is not reachable here), zig links against glibc 2.17 (scripts/zig-cc.sh). The wheel
# and the Node addon share one target directory, linker and profile, so std and cem-core are built once.
# scripts/test-install.sh runs both under qemu-user-static (scripts/setup-arm64.sh).
ARM64_OUT := $(TARGET)/arm64/out
ARM64_CARGO := PATH=/usr/bin:$$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(TARGET)/arm64 \
  CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=$(CURDIR)/scripts/zig-cc-aarch64.sh
arm64: setup-python
	bash scripts/setup-arm64.sh
	rm -rf $(ARM64_OUT) && mkdir -p $(ARM64_OUT)
	cd bindings-python && $(ARM64_CARGO) ../$(PY) -m maturin build --release --quiet --target aarch64-unknown-linux-gnu \
	  --compatibility manylinux2014 -Zbuild-std=std,panic_abort --out $(ARM64_OUT)
	$(ARM64_CARGO) /usr/bin/cargo build --quiet --release --target aarch64-unknown-linux-gnu -Zbuild-std=std,panic_abort -p cemscore-node
	cp $(TARGET)/arm64/aarch64-unknown-linux-gnu/release/libcemscore_node.so $(ARM64_OUT)/cemscore.linux-arm64-gnu.node

# Opt-in, not part of `make test` (CI's time is unchanged): what this machine can build for other platforms and
# check by running it, into dist/ beside `make dist`'s artifacts (docs/src/release.md says what each proves):
# a static musl `cem` for x86_64, `cem.exe` (x86_64-pc-windows-gnu, MinGW), a musllinux x86_64 wheel and a
# win_amd64 wheel. As for aarch64, std is built from Debian's rustc-web sources
# (-Zbuild-std); zig links the musl builds with its own musl, MinGW's gcc the Windows ones (crt-static: the
# MinGW runtime is linked in, so cem.exe needs only Windows' DLLs). scripts/check-cross.sh runs each binary
# on the sample (cem.exe under wine) against this machine's cem, and checks what each wheel links to (musl's
# loader for the musllinux one: auditwheel judges a wheel by the host's libc, glibc here). All builds share
# target/cross (std is built per target and per set of flags: ~10 min each on a busy machine).
CROSS := $(TARGET)/cross
CROSS_CARGO := PATH=/usr/bin:$$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(CROSS) \
  CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_LINKER=$(CURDIR)/scripts/zig-cc-musl-x86_64.sh \
  CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C link-self-contained=no" \
  CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
  CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"
BUILD_STD := -Zbuild-std=std,panic_abort
dist-cross: setup-python
	bash scripts/setup-cross.sh
	mkdir -p dist && rm -f dist/cem.exe dist/cem-x86_64-linux-musl dist/cemscore-*musllinux*.whl dist/cemscore-*win_amd64.whl
	cargo build --release --quiet -p cem-cli
	for t in x86_64-unknown-linux-musl x86_64-pc-windows-gnu; do \
	  $(CROSS_CARGO) /usr/bin/cargo build --quiet --release --target $$t $(BUILD_STD) -p cem-cli || exit 1; done
	cp $(CROSS)/x86_64-unknown-linux-musl/release/cem dist/cem-x86_64-linux-musl
	cp $(CROSS)/x86_64-pc-windows-gnu/release/cem.exe dist/cem.exe
	cd bindings-python && $(CROSS_CARGO) ../$(PY) -m maturin build --release --quiet --target x86_64-unknown-linux-musl \
	  --compatibility musllinux_1_2 $(BUILD_STD) --out ../dist
	cd bindings-python && $(CROSS_CARGO) ../$(PY) -m maturin build --release --quiet --target x86_64-pc-windows-gnu \
	  $(BUILD_STD) --out ../dist
	bash scripts/check-cross.sh $(TARGET)/release/cem
	@ls -l dist/cem.exe dist/cem-x86_64-linux-musl dist/cemscore-*musllinux*.whl dist/cemscore-*win_amd64.whl

# The release workflow (.github/workflows/release.yml, which cannot run here), checked by actionlint.
lint-workflows: setup-python
	.venv/bin/actionlint .github/workflows/*.yml && echo "actionlint: workflows ok"

# Installs each artifact of dist/ where its users would, with nothing of the checkout on the path: the
# wheel into a fresh venv (no Rust on PATH), each tarball into a fresh npm project (ESM, CommonJS,
# tsc --strict), a browser app bundled by esbuild and by Vite from the installed @cemscore/wasm, run in
# Chromium, and the `cem` binary on a copy of the sample survey.
test-install: dist
	bash scripts/test-install.sh
