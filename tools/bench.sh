#!/usr/bin/env bash
# The main job: builds the kernels and benchmarks them on the default layer
# suite (layers/public.csv), printing a table. Installs what is missing first.
# Usage: tools/bench.sh [convkit_bench options, see --help]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cmake --build --preset release --target convkit_bench
exec build/release/bench/convkit_bench "$@"
