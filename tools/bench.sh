#!/usr/bin/env bash
# The main job: builds the kernels and benchmarks them on the default layer
# suite (layers/public.csv), printing a table. Installs what is missing first.
# Usage: tools/bench.sh [convkit_bench options, see --help]
#        tools/bench.sh mca    llvm-mca report of the hot loops -> build/release/mca_report.txt
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ "${1:-}" = mca ]; then
    exec cmake --build --preset release --target mca_report
fi
cmake --build --preset release --target convkit_bench
exec build/release/bench/convkit_bench "$@"
