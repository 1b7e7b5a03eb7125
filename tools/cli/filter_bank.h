// Named filter banks for `convkit run` on a one-channel (grey) image. Filters
// are applied as convkit convolves: cross-correlation, no flip.
//   sobel      2 filters, 3x3: sobel_x [-1 0 1; -2 0 2; -1 0 1] (responds to
//              vertical edges), sobel_y (its transpose)
//   gaussian   1 filter, 5x5 binomial [1 4 6 4 1]^T [1 4 6 4 1] / 256
//   laplacian  1 filter, 3x3 [0 1 0; 1 -4 1; 0 1 0]
//   random     `channels` filters, 3x3, uniform in [-1, 1] from `seed`
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace convkit_cli {

struct FilterBank {
    int size = 3;                    // filters are size x size
    std::vector<std::string> names;  // one per filter (output channel)
    std::vector<float> weights;      // names.size() x 1 x size x size

    int count() const { return int(names.size()); }
};

// Throws UsageError for an unknown bank name.
FilterBank make_filter_bank(const std::string& name, int channels, uint32_t seed);

}  // namespace convkit_cli
