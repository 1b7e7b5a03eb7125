// Checks another implementation's output of a layer against convkit's direct
// kernel, element by element, within the worst-case rounding bound of a float
// dot product of length K = C/groups*KH*KW in any order (as the tests do):
//   |a - b| <= 2 * gamma_K * sum|x_i * w_i|,  gamma_K = K*u / (1 - K*u), u = 2^-24,
// where sum|x_i * w_i| is itself computed by the direct kernel on |x| and |w|.
#pragma once

#include "layer_suite.h"

#include <string>
#include <vector>

namespace convkit_bench {

// Throws std::runtime_error naming `who`, the layer, the worst element and its
// bound when `output` (dense NCHW) is not within the bound.
void check_against_direct(const Layer& layer, const std::vector<float>& weights,
                          const std::vector<float>& input, const std::vector<float>& output,
                          const std::string& who);

}  // namespace convkit_bench
