#!/usr/bin/env bash
# Measures every kernel on the public suite plus a shape sweep and writes the
# timing table kernel = "auto" predicts from (like FFTW wisdom).
#   tools/tune.sh                         # this machine's table: my_timings.csv
#   CONVKIT_TIMINGS=my_timings.csv app    # ...then used by any convkit program
#   tools/tune.sh --out runtime/data/timings.csv --isa all --threads 1,2
#                                         # the built-in table (rebuild after)
# Extra arguments go to convkit_tune (--help lists them).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cmake --build --preset release --target convkit_tune
out_given=0
for a in "$@"; do [ "$a" = "--out" ] && out_given=1; done
if [ "$out_given" = 1 ]; then
    build/release/tools/tune/convkit_tune "$@"
else
    build/release/tools/tune/convkit_tune --out my_timings.csv "$@"
fi
