# journeygraph: `make demo` runs the whole job on the built-in sample, `make test` runs every test.
# Both install missing Debian packages first (scripts/install-deps.sh) and build with CMake + Ninja.

BUILD     ?= build
JOBS      ?= $(shell nproc)
CMAKE_ARGS ?=
PREFIX    ?= /usr/local
export MPLBACKEND := Agg

.PHONY: all deps configure build demo test test-cpp clean
.PHONY: test-c test-c-valgrind install
.PHONY: venv python test-python

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
test: test-cpp test-c-valgrind test-python

test-cpp: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

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

clean:
	rm -rf $(BUILD)
