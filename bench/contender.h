// Something the benchmark times on a layer: a convkit Plan or a peer library's
// convolution (oneDNN). Contenders of one layer are timed interleaved.
#pragma once

#include "layer_suite.h"

#include <convkit/convkit.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace convkit_bench {

// The layer's buffers, shared by all contenders: dense NCHW input and output.
struct Buffers {
    std::vector<float> input, output;
};

class Contender {
public:
    virtual ~Contender() = default;
    virtual void run() = 0;  // one convolution of the layer's input
    virtual std::string kernel() const = 0;  // row name, e.g. "direct", "auto:mec_b"
    virtual std::string isa() const = 0;
    virtual int threads() const = 0;
    // Extra bytes one run needs beyond the input, output and packed weights.
    virtual size_t workspace_bytes() const = 0;
    // Whether MemoryProbe sees this contender's allocations (Halide kernels).
    virtual bool memory_is_measurable() const = 0;
    // A peer library's row (compared against as x_<peer>).
    virtual bool is_peer() const { return false; }
};

// A convkit kernel: throws convkit::Error when the kernel cannot take the shape.
std::unique_ptr<Contender> make_convkit_contender(const Layer& layer, const std::string& kernel,
                                                  const std::string& isa,
                                                  const std::vector<float>& weights, int threads,
                                                  Buffers& io);

}  // namespace convkit_bench
