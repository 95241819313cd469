# Fulcrum's front door: wraps CMake presets. `make demo` and `make test` are the quick start.
JOBS ?= $(shell nproc)
CTEST_FLAGS ?= --output-on-failure -j $(JOBS)

.PHONY: all python release debug asan asan-build tsan tsan-api deps fuzz-build test test-release test-debug test-asan fuzz demo \
	golden-update format format-check bench install clean \
	report-screenshots

all: release

deps:
	@tools/deps.sh

build/build.ninja: CMakeLists.txt CMakePresets.json
	@cmake --preset release >/dev/null

release: build/build.ninja
	@cmake --build --preset release

# The Python package in build/python (import it with PYTHONPATH=build/python).
python: build/build.ninja
	@cmake --build --preset release --target python

debug:
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug

# clang-19 with AddressSanitizer + UBSan and the libFuzzer targets (build-asan/).
asan-build:
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan

# ASan/UBSan environment for every sanitized run: leaks fail, the first UB report stops a test.
ASAN_ENV = ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           LSAN_OPTIONS=suppressions=$(CURDIR)/tools/sanitizers/lsan.supp:print_suppressions=0

# The whole suite, each fuzz target's 30 s run included, under ASan + UBSan.
asan: deps asan-build
	@cd build-asan && $(ASAN_ENV) ctest $(CTEST_FLAGS)

test-asan: asan

# `make test` (and CI): the release suite, then the whole suite again under ASan + UBSan, which
# includes a 30 s run of every fuzz target, then the embedding API's tests under ThreadSanitizer
# (programs run from 8 threads at once, cancel from another thread: issue 23's promise).
test: test-release asan tsan-api

test-release: deps release
	@cd build && ctest $(CTEST_FLAGS)

test-debug: deps debug
	@cd build-debug && ctest $(CTEST_FLAGS)

# ThreadSanitizer over every unit test (build-tsan/): parsing, compiling, loading and running from
# several threads at once among them. The two memory-growth tests are left out (TSan's shadow
# memory is what they would measure).
TSAN_ENV = TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tools/sanitizers/tsan.supp
tsan: deps
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan --target fulcrum_unit_tests
	@$(TSAN_ENV) build-tsan/bin/fulcrum_unit_tests --gtest_brief=1 \
	  --gtest_filter='-Program.TenThousandProgramsLevelOff:Program.ManyProgramsDoNotGrowTheProcess'

# The C API's tests alone under ThreadSanitizer: what `make test` runs of TSan (the whole unit
# suite under TSan, `make tsan`, takes too long for CI's budget).
tsan-api: deps
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan --target fulcrum_api_tests
	@$(TSAN_ENV) build-tsan/bin/fulcrum_api_tests --gtest_brief=1

# The long fuzz run: every target in FUZZ_TARGETS for FUZZ_SECONDS (default an hour each) on the
# fuzz preset's unsanitized build (build-fuzz/, several times faster), then every input of the
# grown corpus once on the asan build. Corpora stay in build-fuzz/fuzz/ between runs.
# docs/reliability.md has the figures of the last long runs.
FUZZ_SECONDS ?= 3600
FUZZ_TARGETS ?= check_fuzz load_fuzz differential_fuzz column_cache_fuzz jit_cache_fuzz
fuzz-build:
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz

fuzz: deps asan-build fuzz-build
	@for target in $(FUZZ_TARGETS); do \
	  FUZZ_SECONDS=$(FUZZ_SECONDS) cmake --build build-fuzz --target fuzz-$$target || exit 1; \
	done

demo: deps release
	@examples/demo.sh build/bin/fulcrum

# The browser test again, writing each example report's screenshot to docs/report/EXAMPLE.png.
report-screenshots: deps release
	@python3 tests/e2e/report_browser_test.py build/bin/fulcrum --update-screenshots

# Rewrites every golden file's expected output from the current build.
golden-update: release
	@python3 tests/golden/run.py --fulcrum build/bin/fulcrum --update tests/golden

# The benchmark tables of docs/performance.md: generates data, runs every engine and peer.
# BENCH_FLAGS="--sizes 1M,10M" for a shorter run; "--event-sizes 10M,50M" adds the account lens
# over 50M events to its default 10M (3M accounts either way).
BENCH_FLAGS ?=
bench: deps release
	@tools/bench_deps.sh
	@python3 bench/run.py --bin build/bin $(BENCH_FLAGS)

# `make install [PREFIX=/usr/local] [DESTDIR=]`: the binary, libfulcrum.so, headers, the standard
# library, the CMake package and fulcrum.pc under DESTDIR/PREFIX (cmake/FulcrumInstall.cmake).
PREFIX ?= /usr/local
install: release
	@DESTDIR="$(DESTDIR)" cmake --install build --prefix "$(PREFIX)"

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

format-check:
	@git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

clean:
	@rm -rf build build-debug build-asan build-tsan
