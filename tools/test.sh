#!/usr/bin/env bash
# Builds everything and runs all tests. Installs what is missing first.
# Usage: tools/test.sh [extra ctest arguments]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cmake --build --preset release
ctest --preset release -j "$(nproc)" "$@"
