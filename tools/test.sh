#!/usr/bin/env bash
# Builds everything and runs all tests: the host ISAs natively (and AVX-512 in
# a bochs guest), then the ARM64 NEON build under qemu. Installs what is
# missing first. Then the sanitizer builds (tools/sanitize.sh).
# Usage: tools/test.sh [extra ctest arguments for the host run]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cmake --build --preset release
ctest --preset release -j "$(nproc)" "$@"

# ARM64: cross-compiled with the generators of the release build.
cmake --preset arm64 >/dev/null 2>&1 || cmake --preset arm64
cmake --build --preset arm64
ctest --preset arm64

# Sanitizers: ASan+UBSan+LSan suite and a 60 s libFuzzer run; TSan on the
# concurrency tests (tools/sanitize.sh).
bash tools/sanitize.sh
