// convkit_bench: times every convkit kernel (and oneDNN, when built in) on
// every layer of a layer suite. The same program is `convkit bench`.
//
//   convkit_bench [--suite FILE] [--kernels a,b|all] [--threads 1] [--reps 15]
//                 [--min-time-ms 50] [--csv out.csv] [--json out.json] [--layers substr]
//
// How layers are timed: measure.h. Columns: report.h.
#include "bench_run.h"

int main(int argc, char** argv) {
    return convkit_bench::bench_main(argc, argv, 1, "convkit_bench");
}
