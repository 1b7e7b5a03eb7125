#!/usr/bin/env bash
# The main job: builds the kernels and benchmarks them on the default layer
# suite (layers/public.csv), printing a table. Installs what is missing first.
# Usage: tools/bench.sh [convkit_bench options, see --help]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/bootstrap.sh
export PATH="$root/.venv/bin:$PATH"
cmake --preset release >/dev/null
cmake --build --preset release --target convkit_bench
exec build/release/bench/convkit_bench "$@"
