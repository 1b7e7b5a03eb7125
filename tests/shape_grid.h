// The grid of convolution shapes every kernel is checked on (test_kernels.cpp).
#pragma once

#include <convkit/convkit.h>

#include <cstdint>
#include <vector>

namespace convkit_test {

// Upper limit on the reference cost of one grid shape, in multiply-adds
// (N*M*Ho*Wo*C/groups*KH*KW). Keeps the suite fast, also under emulation.
constexpr int64_t kMaxGridMacs = 2'000'000;

// Small shapes covering kernel sizes 1..11, strides 1/2/4 (also anisotropic),
// symmetric and 4-sided asymmetric padding, dilation, grouped and depthwise
// convolution, batch 3, first layers with C=3 and spatial edge cases.
// Deterministic, without duplicates, in a fixed order.
std::vector<convkit::ConvShape> grid_shapes();

}  // namespace convkit_test
