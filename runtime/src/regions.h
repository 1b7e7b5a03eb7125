// Splitting an output plane into interior and border regions.
#pragma once

#include <vector>

#include "convkit/convkit.h"

namespace convkit::detail {

// Output columns [x0, x1) x rows [y0, y1).
struct Region {
    int64_t x0, x1, y0, y1;
};

// Splits the output plane so that one region (the interior) holds the outputs
// whose taps all read inside the input: a kernel runs it without padding
// checks. Around it: the bands above and below (only rows read padding), the
// strips left and right (only columns do) and the corners. Without an
// interior of at least one register tile, the whole plane is one region.
std::vector<Region> split_output(const ConvShape& s, int tile_x, int tile_y);

}  // namespace convkit::detail
