// oneDNN (Debian's libdnnl 2.x, OpenMP runtime) as a peer in the benchmark:
// its f32 forward convolution (algorithm::convolution_direct, forward_inference)
// of the same layer, at the same thread count, in two variants:
//   onednn_any   format_tag::any: oneDNN picks blocked layouts; weights are
//                reordered once, input/output live in its blocked format; no
//                reorder is timed. Extra memory: its scratchpad.
//   onednn_nchw  the user's dense NCHW input and output: the timed run
//                includes the reorders to and from the blocked format. Extra
//                memory: scratchpad + the blocked input and output copies.
// Threads: oneDNN's OpenMP runtime gets omp_set_num_threads(threads) on the
// calling thread (the benchmark's only thread that runs oneDNN) before each run.
// Each variant's output is checked once per layer against convkit's direct
// kernel (output_check.h); a mismatch throws OutputMismatch.
#pragma once

#include "contender.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace convkit_bench {

struct OutputMismatch : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Whether this build has oneDNN, and a line saying which one (or why not).
bool onednn_available();
std::string onednn_description();

// The variant names, built in or not.
inline const std::vector<std::string>& onednn_variants() {
    static const std::vector<std::string> names = {"onednn_any", "onednn_nchw"};
    return names;
}

// One variant on the layer's buffers; runs and verifies it once. Throws
// OutputMismatch when its output is wrong, std::exception when oneDNN cannot
// create it (or is not built in).
std::unique_ptr<Contender> make_onednn_contender(const Layer& layer, const std::string& variant,
                                                 const std::vector<float>& weights, int threads,
                                                 Buffers& io);

}  // namespace convkit_bench
