// Timing of one layer: every contender (convkit kernel x ISA, then the peers)
// is warmed up (one run, then runs for ~min-time/5) and has its extra memory
// measured with MemoryProbe around one run. Then `reps` rounds are timed; in
// each round every contender takes one sample, so drifting machine noise hits
// all alike. A sample repeats run() enough times to last at least
// max(5 ms, min-time/reps) and records the time per run.
#pragma once

#include "bench_args.h"
#include "contender.h"
#include "layer_suite.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace convkit_bench {

// What runs on every layer, resolved from the arguments.
struct Selection {
    std::vector<std::string> kernels;  // convkit kernel names or "auto"
    std::vector<std::string> isas;     // ISA names or "auto"
    std::vector<std::string> peers;    // peer variants, e.g. "onednn_any"
};

struct Candidate {
    std::string kernel, isa;  // as asked (rows of contenders that failed to build)
    std::unique_ptr<Contender> impl;
    std::string error;  // set when there is no usable contender
    int iters = 1;      // runs per timed sample
    std::vector<double> samples_ms;  // time per run, one entry per sample
    size_t peak_bytes = 0, allocations = 0;

    bool ok() const { return impl && error.empty(); }
};

// Random input (fixed seed) and an output buffer for the layer.
Buffers make_buffers(const Layer& layer);
// The layer's random weights (fixed seed), M x C/g x KH x KW.
std::vector<float> make_weights(const Layer& layer);

// Called after each timed round with the fraction of the layer done.
using ProgressFn = std::function<void(double)>;

// Builds and times the candidates of one layer on `io`. Peers verify their
// output against convkit's direct kernel and throw std::runtime_error when it
// differs.
std::vector<Candidate> measure_layer(const Layer& layer, const Selection& selection,
                                     const Args& args, Buffers& io,
                                     const ProgressFn& progress = {});

}  // namespace convkit_bench
