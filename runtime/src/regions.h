// Splitting an output plane into interior and border regions, each with the
// kind of padding checks a kernel needs there (generators/region_kind.h).
#pragma once

#include <vector>

#include "convkit/convkit.h"
#include "region_kind.h"

namespace convkit::detail {

// Output columns [x0, x1) x rows [y0, y1), and its kind.
struct Region {
    int64_t x0, x1, y0, y1;
    convkit_abi::RegionKind kind = convkit_abi::kBorder;
};

// The register tiles a kernel computes each kind of region with (a kernel's
// ScheduleFacts): a region fits a kind when the axes that kind leaves
// unchecked read only inside the input, and it is at least one tile long
// along the axes tiled with ShiftInwards.
struct RegionTiles {
    int tile_x, tile_y;  // interior
    int band_x, band_y;  // bands: columns unchecked; band_y rows per tile
    int strip_rows;      // strips: rows per tile (0: no strip tiling)
    // The staged kind: bound of the zero-padded input rows one row tile of
    // the interior tile's shape copies (0: no staged kind).
    int staged_columns = 0, staged_rows = 0;
};

// Whether the whole plane runs as one kStaged call: the kernel has the
// staged kind, one input channel per group, and a row tile's input rows fit
// the copy's bound. (generators/direct_generator.cpp checks the same.)
bool fits_staged(const ConvShape& s, const RegionTiles& tiles);

// Splits the output plane so that one region (the interior) holds the outputs
// whose taps all read inside the input: a kernel runs it without padding
// checks. Above and below it, the bands (only rows read padding); left and
// right of all three, the strips, the full height of the plane (columns read
// padding, and rows in the corners). Bands and strips that do not fit their
// kind's tiling are kind kBorder. Without an interior of at least one
// register tile, the whole plane is one kBorder region. Where the plane fits
// the staged kind, it is one kStaged region instead.
std::vector<Region> split_output(const ConvShape& s, const RegionTiles& tiles);

}  // namespace convkit::detail
