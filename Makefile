# journeygraph: `make demo` runs the whole job on the built-in sample, `make test` runs every test.
# Both install missing Debian packages first (scripts/install-deps.sh) and build with CMake + Ninja.

BUILD     ?= build
JOBS      ?= $(shell nproc)
CMAKE_ARGS ?=
export MPLBACKEND := Agg

.PHONY: all deps configure build demo test test-cpp clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/bin/journeygraph demo

# Every test suite. Later suites are appended to this list.
test: test-cpp

test-cpp: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
