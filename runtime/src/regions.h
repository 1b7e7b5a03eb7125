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
// checks. The border regions around it are at least one register tile wide
// and high where the output allows, so no region over-computes a tile. Without
// an interior of at least one tile, the whole plane is one region.
std::vector<Region> split_output(const ConvShape& s, int tile_x, int tile_y);

}  // namespace convkit::detail
