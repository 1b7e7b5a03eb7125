#!/usr/bin/env bash
# Builds everything and runs all tests. Installs what is missing first.
# Usage: tools/test.sh [extra ctest arguments]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/bootstrap.sh
export PATH="$root/.venv/bin:$PATH"
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release -j "$(nproc)" "$@"
