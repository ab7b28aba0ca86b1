# journeygraph: `make demo` runs the whole job on the built-in sample, `make test` runs every test.
# Both install missing Debian packages first (scripts/install-deps.sh) and build with CMake + Ninja.

BUILD     ?= build
JOBS      ?= $(shell nproc)
CMAKE_ARGS ?=
PREFIX    ?= /usr/local
export MPLBACKEND := Agg

.PHONY: all deps configure build demo test test-cpp clean
.PHONY: test-c test-c-valgrind install

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
test: test-cpp test-c-valgrind

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

clean:
	rm -rf $(BUILD)
