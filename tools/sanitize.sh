#!/usr/bin/env bash
# Sanitizer runs (part of tools/test.sh; needs the release build for its
# Halide generators):
#  - asan preset (clang, ASan+UBSan+LeakSanitizer): the whole GoogleTest suite
#    on the AVX2 kernels, the 1000-cycle leak test included, and a 60 s
#    libFuzzer run over plan creation + run against the reference.
#  - tsan preset (clang, ThreadSanitizer): the concurrency and determinism tests.
# A longer fuzz run: build/asan/tests/fuzz/convkit_fuzz_plan -max_total_time=3600 \
#   -jobs=2 build/asan/fuzz_corpus
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for preset in asan tsan; do
    cmake --preset "$preset" >/dev/null 2>&1 || cmake --preset "$preset"
    cmake --build --preset "$preset"
done

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build/asan/tests/convkit_tests --gtest_brief=1
mkdir -p build/asan/fuzz_corpus
build/asan/tests/fuzz/convkit_fuzz_plan -max_total_time=60 -seed=1 -rss_limit_mb=4096 \
    -print_final_stats=1 build/asan/fuzz_corpus 2>&1 | grep -E "stat::|Done|FINDING|ERROR|fuzz_plan:" || true
test "${PIPESTATUS[0]}" -eq 0

export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan_suppressions.txt"
build/tsan/tests/convkit_tests --gtest_brief=1 --gtest_filter='Concurrency.*:Determinism.*'
echo "sanitize: asan/ubsan/lsan suite, 60 s fuzz, tsan concurrency: all clean"
