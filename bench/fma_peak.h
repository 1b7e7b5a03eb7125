// The machine's measured floating-point peak: a tight loop of independent
// vector FMAs (12 accumulators, enough to cover FMA latency x ports on current
// cores) in the widest ISA this CPU runs (AVX-512F, AVX2+FMA, NEON; SSE
// mul+add otherwise), on 1 or more threads at once.
#pragma once

#include <string>

namespace convkit_bench {

struct FmaPeak {
    std::string isa;  // the loop's ISA, e.g. "avx512"
    int threads = 1;
    double gflops = 0;  // all threads together
};

// Runs the loop on `threads` threads for about `duration_ms` in all, as
// several trials; the fastest trial counts.
FmaPeak measure_fma_peak(int threads, double duration_ms = 100);

}  // namespace convkit_bench
