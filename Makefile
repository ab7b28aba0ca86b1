# journeygraph: `make demo` runs the whole job on the built-in sample, `make test` runs every test.
# Both install missing Debian packages first (scripts/install-deps.sh) and build with CMake + Ninja.

BUILD     ?= build
JOBS      ?= $(shell nproc)
CMAKE_ARGS ?=
PREFIX    ?= /usr/local
export MPLBACKEND := Agg

.PHONY: all deps configure build demo test test-cpp clean
.PHONY: test-c test-c-valgrind install
.PHONY: venv python test-python notebook
.PHONY: r test-r r-check r-compare r-cli
.PHONY: test-sanitize test-tsan fuzz-build fuzz fuzz-merge
.PHONY: bench

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Also writes the HTML report of the sample's journey map (open it in any browser, offline).
demo: build
	$(BUILD)/bin/journeygraph demo --report $(BUILD)/demo_report.html

# Every test suite. Later suites are appended to this list.
test: test-cpp test-c-valgrind test-python test-r test-sanitize test-tsan

test-cpp: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Reading speed against the cost of reading the bytes, in one go (a few minutes; not part of `make test`):
# the Release build, then the 10M-row events CSV (3 repetitions, 1 and 2 threads) and the paths files of
# benchmarks/run_attribute.sh (orders 1 and 3), each beside `wc -l` on the same file with the ratio.
# Record the figures in benchmarks/RESULTS_CSV.md.
bench: build
	BIN=$(BUILD)/bin/journeygraph benchmarks/bench_csv.sh 2500000 3
	benchmarks/bench_paths.sh $(BUILD) 3 "1 3"

# The C ABI's tests alone (test-cpp runs them too: they are part of the CTest suite).
test-c: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -L '^c$$'

# The C test programs under valgrind: no leaks, no invalid reads or writes.
test-c-valgrind: build
	@cmake --build $(BUILD) --target test_c_valgrind

# Headers, libjourneygraph.a, libjourneygraph_c.so, the CLI and the CMake/pkg-config package files.
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# Python: a venv from Debian's interpreter (it has numpy and pandas) that sees the system packages, with a
# Jupyter kernel named journeygraph; the package is reinstalled when a source it is built from changes.
VENV      ?= .venv
PY_SOURCES := $(shell find bindings python include src cmake -type f -not -name '*.so' -not -name '*.pyc' \
                -not -path '*.egg-info*') \
              setup.py pyproject.toml CMakeLists.txt

venv: $(VENV)/bin/python

$(VENV)/bin/python: | deps
	/usr/bin/python3 -m venv --system-site-packages $(VENV)
	PYDEVD_DISABLE_FILE_VALIDATION=1 $(VENV)/bin/python -m ipykernel install --prefix $(VENV) --name journeygraph \
	  --display-name "Python (journeygraph)" >/dev/null

python: $(VENV)/.journeygraph-installed

$(VENV)/.journeygraph-installed: $(VENV)/bin/python $(PY_SOURCES)
	JOBS=$(JOBS) $(VENV)/bin/pip install --quiet --no-build-isolation --no-index .
	@touch $@

test-python: build python
	$(VENV)/bin/python -m pytest tests/python -q

# Jupyter Notebook from Debian's jupyter-notebook package (installed on first use, not for the tests) with the
# venv's journeygraph kernel, opened on the example notebooks. NOTEBOOK_ARGS="--no-browser --port 8899" etc.
NOTEBOOK_ARGS ?=
notebook: python
	@scripts/install-deps.sh jupyter-notebook
	JUPYTER_PATH=$(CURDIR)/$(VENV)/share/jupyter jupyter-notebook --notebook-dir=examples/notebooks \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(NOTEBOOK_ARGS)

# R: the package in r/ (a thin face over the C ABI) installed into a project-local library, linked to
# $(BUILD)/lib/libjourneygraph_c.so with that folder as its run-time path.
R_LIB     ?= $(BUILD)/r-lib
R_ENV      = JOURNEYGRAPH_INCLUDE=$(abspath include) JOURNEYGRAPH_LIBDIR=$(abspath $(BUILD))/lib
R_SOURCES := $(shell find r -type f -not -name '*.o' -not -name '*.so' -not -name Makevars 2>/dev/null)

r: $(R_LIB)/.journeygraph-installed

$(R_LIB)/.journeygraph-installed: $(R_SOURCES) $(BUILD)/lib/libjourneygraph_c.so
	@mkdir -p $(R_LIB)
	@$(R_ENV) R CMD INSTALL --no-multiarch --clean -l $(R_LIB) r > $(BUILD)/r-install.log 2>&1 \
	  || { cat $(BUILD)/r-install.log; exit 1; }
	@touch $@

$(BUILD)/lib/libjourneygraph_c.so: configure $(PY_SOURCES)
	@cmake --build $(BUILD) -j $(JOBS) --target journeygraph_c

# The Python face's results for the inputs the R tests compare with bit for bit (exact hexadecimal floats).
R_COMPARE  = $(abspath $(BUILD))/r-compare
R_CHECK_ENV = JG_COMPARE_DIR=$(R_COMPARE) JG_ROOT=$(CURDIR) JG_CLI=$(abspath $(BUILD))/bin/journeygraph
R_TEST_ENV = $(R_CHECK_ENV) R_LIBS=$(abspath $(R_LIB))

r-compare: python
	@mkdir -p $(R_COMPARE)
	@$(VENV)/bin/python tests/r/python_results.py $(R_COMPARE)

# The command line, whose results the R tests also compare with.
r-cli: configure
	@cmake --build $(BUILD) -j $(JOBS) --target journeygraph_cli

# The testthat suite.
test-r: r r-compare r-cli
	cd r/tests && $(R_TEST_ENV) Rscript testthat.R

# R CMD check of the package with the whole suite. --no-manual: the machines have no LaTeX for the PDF
# manual; --ignore-vignettes: nor for the Sweave vignette's PDF (test-r runs the vignette's code instead).
r-check: r r-compare r-cli
	@rm -rf $(BUILD)/r-check && mkdir -p $(BUILD)/r-check
	cd $(BUILD)/r-check && $(R_ENV) R CMD build --no-build-vignettes $(CURDIR)/r >/dev/null && \
	  $(R_ENV) $(R_CHECK_ENV) R CMD check --no-manual --ignore-vignettes journeygraph_*.tar.gz

# ------------------------------------------------------------------------------------ sanitizers and fuzzing
# Sanitizer builds hold the library and the tests only (no CLI, no benchmarks), at -O1 to build quickly.
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
SAN_CMAKE_ARGS = -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
                 -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" -DJG_BUILD_CLI=OFF -DJG_BUILD_BENCHMARKS=OFF $(CMAKE_ARGS)

# The C++ tests (and the fuzz corpus replays) under AddressSanitizer + UndefinedBehaviorSanitizer.
test-sanitize: deps
	@cmake -S . -B $(ASAN_BUILD) $(SAN_CMAKE_ARGS) -DJG_SANITIZE=address,undefined >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
	UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# One fitted model read by 8 threads at once, under ThreadSanitizer.
test-tsan: deps
	@cmake -S . -B $(TSAN_BUILD) $(SAN_CMAKE_ARGS) -DJG_SANITIZE=thread >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target jg_thread_tests
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(TSAN_BUILD)/tests/cpp/jg_thread_tests

# libFuzzer (clang-14, ASan + UBSan): every target in tests/fuzz (one per corpus folder) runs FUZZ_SECONDS,
# with tests/fuzz/<target>.dict as its dictionary when there is one. Only the fuzz targets are built: the
# shared C library does not link with clang's sanitizer runtimes (-Wl,--no-undefined).
# New inputs go to $(FUZZ_BUILD)/corpus/<target>, crash reproducers to tests/fuzz/crashes/<target>/;
# `make fuzz-merge` adds to the stored corpus the new inputs that reach new edges (edges only, not hit
# counts, which keeps the stored corpus small).
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(notdir $(wildcard tests/fuzz/corpus/*))
FUZZ_FLAGS ?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1

fuzz-build: deps
	@cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DJG_FUZZ=ON -DJG_SANITIZE=address,undefined -DJG_BUILD_TESTS=OFF \
	  -DJG_BUILD_CLI=OFF -DJG_BUILD_BENCHMARKS=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t tests/fuzz/crashes/$$t; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	  $(FUZZ_BUILD)/tests/fuzz/fuzz_$$t $(FUZZ_FLAGS) $$dict -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=tests/fuzz/crashes/$$t/ $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t; \
	done

fuzz-merge: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  $(FUZZ_BUILD)/tests/fuzz/fuzz_$$t -merge=1 -use_counters=0 tests/fuzz/corpus/$$t $(FUZZ_BUILD)/corpus/$$t; \
	done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
