#!/usr/bin/env bash
# ctest entry: runs the static test binary (the whole suite, its kernel tests
# on AVX-512: tests/bochs/avx512_only.cpp) in a bochs Skylake-X guest, and
# passes when every test passed there and "auto" dispatch chose AVX-512.
# Usage: tools/bochs/test_avx512.sh STATIC_TEST_BINARY
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/check_binary.sh" "$1" || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Left out in the guest (they run natively on every ISA): the public-suite
# budget runs and the thread tests, hours under a ~300x slower emulator.
skip="Selection.BudgetNeverExceededOnThePublicSuite:Selection.MeasureMode*:Determinism.*:Concurrency.*:Leaks.*"
"$here/run_in_bochs.sh" "$1" --gtest_brief=1 "--gtest_filter=-$skip" | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo "test_avx512: the suite exited with $status in the bochs guest" >&2
    exit 1
fi
if ! grep -q "auto isa: avx512" "$log"; then
    echo "test_avx512: dispatch did not choose avx512 in the Skylake-X guest" >&2
    exit 1
fi
grep -q "\[  PASSED  \]" "$log" || { echo "test_avx512: no GoogleTest summary" >&2; exit 1; }
