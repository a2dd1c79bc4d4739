# The front door. `make demo` and `make test` do everything on a fresh Debian 12 machine.
#
#   make build   release build; the binary is build/release/bulkhead
#   make test    every test: unit, end-to-end and conformance (release build), then the
#                unit tests again under ASan+UBSan
#   make demo    builds a small demo image from examples/ and scans it
#   make bench   benchmarks against the physical floor (docs/benchmarks.md)
#   make fuzz    builds the libFuzzer targets with clang and runs each for FUZZ_SECONDS
#   make format  clang-format every C++ file

JOBS ?= $(shell nproc)
# Paths relative to the checkout, so that ccache hits across clones in other folders.
export CCACHE_BASEDIR := $(CURDIR)
FUZZ_SECONDS ?= 30
RELEASE := build/release
ASAN := build/asan
FUZZ := build/fuzz
SETUP_STAMP := build/.setup-stamp
UNIT_TESTS := core_test archive_test version_test image_test pkg_test secret_test malware_test config_test policy_test report_test vulndb_test vuln_test k8s_test scan_test

.PHONY: all setup build test unit-asan demo bench fuzz format clean

all: build

$(SETUP_STAMP): scripts/setup
	scripts/setup
	@mkdir -p build && touch $@

setup: $(SETUP_STAMP)

$(RELEASE)/build.ninja: $(SETUP_STAMP) CMakeLists.txt
	cmake -S . -B $(RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: $(RELEASE)/build.ninja
	ninja -C $(RELEASE) -j $(JOBS) bulkhead

test: $(RELEASE)/build.ninja
	ninja -C $(RELEASE) -j $(JOBS)
	cd $(RELEASE) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) fuzz FUZZ_SECONDS=10
	$(MAKE) unit-asan

unit-asan: $(SETUP_STAMP)
	cmake -S . -B $(ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DBULKHEAD_SANITIZE=ON \
	  -DBULKHEAD_BENCH=OFF
	ninja -C $(ASAN) -j $(JOBS) $(UNIT_TESTS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest -L unit --output-on-failure -j $(JOBS)

demo: build
	examples/demo.sh $(RELEASE)/bulkhead build/demo

bench: $(RELEASE)/build.ninja
	ninja -C $(RELEASE) -j $(JOBS)
	bench/run.sh $(RELEASE)

fuzz: $(SETUP_STAMP)
	CXX=clang++-14 CC=clang-14 cmake -S . -B $(FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DBULKHEAD_FUZZ=ON -DBULKHEAD_TESTS=OFF -DBULKHEAD_BENCH=OFF
	ninja -C $(FUZZ) -j $(JOBS)
	fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
