#!/usr/bin/env bash
# The main job: builds the kernels and benchmarks them on the default layer
# suite (layers/public.csv), printing a table. Installs what is missing first.
# Usage: tools/bench.sh [convkit_bench options, see --help]
#        (none: --budgets 0,mec,unlimited --csv build/release/bench.csv, then the
#        llvm-mca verdict on the kernels' main loops (FMA-bound or not); then
#        build/release/tools/cli/convkit plot build/release/bench.csv draws it)
#        tools/bench.sh mca    llvm-mca report of the hot loops -> build/release/mca_report.txt
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ "${1:-}" = mca ]; then
    exec cmake --build --preset release --target mca_report
fi
cmake --build --preset release --target convkit_bench
# Without arguments: every kernel, oneDNN, and the runtime's choice at the
# budgets 0 / MEC's need / unlimited, with a CSV for `convkit plot`.
if [ $# -gt 0 ]; then
    exec build/release/bench/convkit_bench "$@"
fi
build/release/bench/convkit_bench --budgets 0,mec,unlimited --csv build/release/bench.csv
# AVX-512 and NEON at speed need hardware this machine may not have: llvm-mca
# tells whether each kernel's main loop is FMA-bound on those cores.
echo
echo "llvm-mca (skylake-avx512 / znver3 / neoverse-n1), full report: build/release/mca_report.txt"
cmake --build --preset release --target mca_report | sed -n '/^Main loops FMA-bound/,/^mca_report:/p'
