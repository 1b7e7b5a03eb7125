// Splitting an output plane into interior and border regions, each with the
// kind of padding checks a kernel needs there (generators/region_kind.h).
#pragma once

#include <vector>

#include "convkit/convkit.h"
#include "region_kind.h"
#include "registry.h"

namespace convkit::detail {

// Output columns [x0, x1) x rows [y0, y1) of groups [g0, g1), and its kind.
// (split_output() names the groups of every region it returns.)
struct Region {
    int64_t x0, x1, y0, y1;
    convkit_abi::RegionKind kind = convkit_abi::kBorder;
    int64_t g0 = 0, g1 = 0;
};

// The regions are cut for a kernel's register tiles (its ScheduleFacts): a
// region fits a kind when the axes that kind leaves unchecked read only
// inside the input, and it is at least one tile long along the axes tiled
// with ShiftInwards (the interior's tile_x x tile_y, bands band_x wide,
// strips column_rows high).

// Whether the whole plane runs as one kStaged call: the kernel has the
// staged kind and its copy's bound holds what the tiles read: a row tile's
// input rows with one input channel per group (depthwise), or a pass's
// input rows of a padded plane (whole-plane mode, staged_channels > 0).
// (generators/direct_generator.cpp checks the same.)
bool fits_staged(const ConvShape& s, const ScheduleFacts& tiles);

// Whether the whole plane runs as one kLanes call: the kernel has the lanes
// kind, the layer has one input channel per group and at least a vector of
// groups, and the copy's bound holds the plane's input footprint.
// (generators/direct_generator.cpp checks the same.)
bool fits_lanes(const ConvShape& s, const ScheduleFacts& tiles);

// Whether the planes of all groups but the first and the last run as one
// kPlane call: the kernel has the plane kind, the layer has one input
// channel per group, stride 1, output rows as long as the input's (so that
// a flat row of outputs reads a flat row of input at fixed offsets), a
// kernel of at most kPlaneMaxKernelSize squared, the outputs and what
// their taps read past them within the column masks' bound, a plane at
// least one plane tile long, kPlaneGroups groups besides the first and the
// last, and taps that reach no further than one plane before and after
// (into the neighbouring groups' planes: plane_reach()).
// (generators/direct_generator.cpp checks the same.)
bool fits_plane(const ConvShape& s, const ScheduleFacts& tiles);

// How far a plane kind call's taps read before a plane's first pixel and
// past its last, in flat pixels: the kernel reads there (masked, the
// values unused) straight from the caller's input, where the neighbouring
// groups' planes lie. Hence the plane kind never runs the first or the last
// group, whose neighbours there are outside the caller's buffer.
struct PlaneReach {
    int64_t before, after;
};
PlaneReach plane_reach(const ConvShape& s);

// Whether the planes of all groups but the first and the last run as one
// kMasked call: the kernel has the masked kind, the layer has one input
// channel per group, kPlaneGroups groups besides the first and the last
// (as the plane kind: see fits_masked()), output rows at least one masked
// tile wide, and taps that reach no further than one plane past a row's
// ends (masked_reach()). Taken where the plane kind does not fit.
// (generators/direct_generator.cpp checks the same.)
bool fits_masked(const ConvShape& s, const ScheduleFacts& tiles);

// How many columns a masked kind call's taps read before each input row's
// first and past its last: its view of the input extends the rows so far,
// over the neighbouring rows and, from the first and the last row, the
// neighbouring groups' planes (the values there are masked off).
struct MaskedReach {
    int64_t before, after;
};
MaskedReach masked_reach(const ConvShape& s);

// The shape a kernel is called with for layer `s`: `s` itself, or, where
// the kernel's tiles are one vector of each output row (flat_columns > 0)
// and the layer is a 1x1 convolution with stride 1 and no padding, whose
// every output reads the input pixel at the same place, the same planes
// viewed as rows of flat_columns pixels, when they hold a whole number of
// such rows. A 56x56 plane then runs as 196 rows of 16 columns on AVX-512
// instead of 56 rows of 56, which fill 4 vectors with 64 columns' work.
ConvShape call_shape(const ConvShape& s, const ScheduleFacts& tiles);

// Splits the output plane so that one region (the interior) holds the outputs
// whose taps all read inside the input: a kernel runs it without padding
// checks. Above and below it, the bands (only rows read padding); left and
// right of all three, the strips, the full height of the plane (columns read
// padding, and rows in the corners). Bands and strips that do not fit their
// kind's tiling are kind kBorder. Without an interior of at least one
// register tile, the whole plane is one kBorder region. Where the plane fits
// the lanes kind, or else the staged kind, it is one region of that kind
// instead. Where it fits the plane kind, the groups between the first and
// the last are one region of that kind (its output passed to the kernel as
// one flat row per plane), and the first and the last group are split as a
// layer of one group; where it fits the masked kind instead, likewise with
// that kind. Every region names its groups.
std::vector<Region> split_output(const ConvShape& s, const ScheduleFacts& tiles);

}  // namespace convkit::detail
