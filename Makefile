# Fulcrum's front door: wraps CMake presets. `make demo` and `make test` are the quick start.
JOBS ?= $(shell nproc)
CTEST_FLAGS ?= --output-on-failure -j $(JOBS)

.PHONY: all release debug asan deps test test-debug test-asan demo golden-update format format-check bench clean

all: release

deps:
	@tools/deps.sh

build/build.ninja: CMakeLists.txt CMakePresets.json
	@cmake --preset release >/dev/null

release: build/build.ninja
	@cmake --build --preset release

debug:
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug

asan:
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan

test: deps release
	@cd build && ctest $(CTEST_FLAGS)

test-debug: deps debug
	@cd build-debug && ctest $(CTEST_FLAGS)

test-asan: deps asan
	@cd build-asan && ctest $(CTEST_FLAGS)

demo: deps release
	@examples/demo.sh build/bin/fulcrum

# Rewrites every golden file's expected output from the current build.
golden-update: release
	@python3 tests/golden/run.py --fulcrum build/bin/fulcrum --update tests/golden

# The benchmark tables of docs/performance.md: generates data, runs every engine and peer.
# BENCH_FLAGS="--sizes 1M,10M" for a shorter run.
BENCH_FLAGS ?=
bench: deps release
	@tools/bench_deps.sh
	@python3 bench/run.py --bin build/bin $(BENCH_FLAGS)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

format-check:
	@git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

clean:
	@rm -rf build build-debug build-asan
