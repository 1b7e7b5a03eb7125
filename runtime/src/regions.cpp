#include "regions.h"

#include <algorithm>

namespace convkit::detail {
namespace {

struct Span {
    int64_t lo, hi;  // interior outputs along one axis; empty when lo >= hi
};

// Along one axis: outputs o with o*stride - pad >= 0 and
// o*stride - pad + (k-1)*dilation <= in - 1 read no padding. Empty unless
// at least one tile long (a kernel runs shorter spans with padding checks).
Span interior_span(int64_t in, int64_t pad, int64_t k, int64_t dilation, int64_t stride,
                   int64_t out, int64_t tile) {
    const int64_t first = std::min(out, (pad + stride - 1) / stride);
    const int64_t limit = in - 1 + pad - (k - 1) * dilation;  // o*stride <= limit
    const int64_t end = limit < 0 ? 0 : std::min(out, limit / stride + 1);
    if (end - first < tile) return Span{0, 0};
    return Span{first, end};
}

int64_t round_up(int64_t n, int64_t multiple) { return (n + multiple - 1) / multiple * multiple; }

// Input columns (rows) that `outputs` consecutive outputs read along one axis.
int64_t input_extent(int64_t outputs, int64_t stride, int64_t k, int64_t dilation) {
    return (outputs - 1) * stride + (k - 1) * dilation + 1;
}

// Kernels compute a band a whole band tile of rows at a time, even a band of
// one row. Rows that read no padding are then better taken into the band, up
// to a whole tile, than computed again in the interior (a band's checks are
// one per row, cheap), as long as an interior tile remains.
Span widen_bands(Span ys, int64_t out, int64_t tile) {
    const int64_t lo = ys.lo == 0 ? 0 : round_up(ys.lo, tile);
    const int64_t hi = ys.hi == out ? out : out - round_up(out - ys.hi, tile);
    if (hi - lo < tile) return ys;
    return Span{lo, hi};
}

// In flat pixels, how far past an output its last tap reads beyond its first.
int64_t flat_tap_span(const ConvShape& s) {
    return (s.KH - 1) * s.dilation_h * s.W + (s.KW - 1) * s.dilation_w;
}

}  // namespace

bool fits_staged(const ConvShape& s, const ScheduleFacts& tiles) {
    if (tiles.staged_columns <= 0) return false;
    int64_t columns, rows;
    if (tiles.staged_channels > 0) {
        // The whole padded plane, whole tiles, a pass of rows at a time: only
        // worth its copy where the plane has padding (an unpadded plane is
        // one interior call).
        if (s.pad_left + s.pad_right + s.pad_top + s.pad_bottom == 0) return false;
        columns = input_extent(round_up(s.out_w(), tiles.tile_x), s.stride_w, s.KW, s.dilation_w);
        const int64_t pass_rows = std::min<int64_t>(s.out_h(), tiles.staged_plane_rows);
        rows = input_extent(round_up(pass_rows, tiles.tile_y), s.stride_h, s.KH, s.dilation_h);
    } else {
        // One row tile's input rows (a region narrower than a tile is
        // computed a whole tile wide), one input channel per group.
        if (s.C / s.groups != 1) return false;
        columns = input_extent(std::max<int64_t>(s.out_w(), tiles.tile_x), s.stride_w, s.KW, s.dilation_w);
        rows = input_extent(tiles.tile_y, s.stride_h, s.KH, s.dilation_h);
    }
    return columns <= tiles.staged_columns && rows <= tiles.staged_rows;
}

bool fits_lanes(const ConvShape& s, const ScheduleFacts& tiles) {
    if (tiles.lanes_groups <= 0 || s.C / s.groups != 1 || s.groups < tiles.lanes_groups) return false;
    return input_extent(s.out_w(), s.stride_w, s.KW, s.dilation_w) <= tiles.lanes_columns &&
           input_extent(s.out_h(), s.stride_h, s.KH, s.dilation_h) <= tiles.lanes_rows;
}

bool fits_plane(const ConvShape& s, const ScheduleFacts& tiles) {
    if (tiles.plane_elements <= 0 || s.C / s.groups != 1 || s.stride_w != 1 || s.stride_h != 1) return false;
    if (s.out_w() != s.W || s.KW > convkit_abi::kPlaneMaxKernelSize ||
        s.KH > convkit_abi::kPlaneMaxKernelSize || s.out_h() < 1) return false;
    const int64_t outputs = s.out_h() * s.W, plane = s.H * s.W;
    const PlaneReach reach = plane_reach(s);
    return outputs + flat_tap_span(s) <= tiles.plane_elements && outputs >= tiles.plane_tile &&
           s.groups >= convkit_abi::kPlaneGroups + 2 && reach.before <= plane && reach.after <= plane;
}

PlaneReach plane_reach(const ConvShape& s) {
    // Outputs [0, out_h * W) read [-before, out_h * W + span - before).
    const int64_t before = s.pad_top * s.W + s.pad_left;
    const int64_t end = s.out_h() * s.W + flat_tap_span(s) - before;
    return PlaneReach{std::max<int64_t>(before, 0), std::max<int64_t>(end - s.H * s.W, 0)};
}

MaskedReach masked_reach(const ConvShape& s) {
    // The whole plane's outputs read columns [-pad_left, last] of each row.
    const int64_t last = input_extent(s.out_w(), s.stride_w, s.KW, s.dilation_w) - 1 - s.pad_left;
    return MaskedReach{std::max<int64_t>(s.pad_left, 0), std::max<int64_t>(last - (s.W - 1), 0)};
}

bool fits_masked(const ConvShape& s, const ScheduleFacts& tiles) {
    // As many groups besides the first and the last as the plane kind
    // needs: Halide bounds the bias and weights of a call by every kind's
    // tiling, and the plane kind's, kPlaneGroups groups at a time
    // (ShiftInwards), starts before a call's first group where it has fewer.
    if (tiles.masked_columns <= 0 || s.C / s.groups != 1 || s.groups < convkit_abi::kPlaneGroups + 2) {
        return false;
    }
    const MaskedReach reach = masked_reach(s);
    const int64_t plane = s.H * s.W;
    return s.out_w() >= tiles.masked_columns && s.out_h() >= 1 && reach.before <= plane && reach.after <= plane;
}

ConvShape call_shape(const ConvShape& s, const ScheduleFacts& tiles) {
    const int64_t columns = tiles.flat_columns, plane = s.H * s.W;
    if (columns <= 0 || !s.pointwise() || plane % columns != 0) return s;
    ConvShape flat = s;
    flat.W = columns;
    flat.H = plane / columns;
    return flat;
}

namespace {

// split_output() without the plane and the masked kind, for every group
// alike: the regions, their groups not yet named.
std::vector<Region> split_plane(const ConvShape& s, const ScheduleFacts& tiles) {
    using namespace convkit_abi;
    const int64_t out_w = s.out_w(), out_h = s.out_h();
    if (fits_lanes(s, tiles)) return {Region{0, out_w, 0, out_h, kLanes}};
    if (fits_staged(s, tiles)) return {Region{0, out_w, 0, out_h, kStaged}};
    const Span xs = interior_span(s.W, s.pad_left, s.KW, s.dilation_w, s.stride_w, out_w, tiles.tile_x);
    Span ys = interior_span(s.H, s.pad_top, s.KH, s.dilation_h, s.stride_h, out_h, tiles.tile_y);
    if (xs.lo >= xs.hi || ys.lo >= ys.hi) return {Region{0, out_w, 0, out_h, kBorder}};
    ys = widen_bands(ys, out_h, std::max(tiles.band_y, 1));
    const RegionKind band = xs.hi - xs.lo >= tiles.band_x ? kBand : kBorder;
    const RegionKind strip = tiles.column_rows > 0 && out_h >= tiles.column_rows ? kStrip : kBorder;
    // The interior, the bands above and below it, and the strips left and
    // right of all three (corners included).
    const Region candidates[] = {
        {xs.lo, xs.hi, ys.lo, ys.hi, kInterior}, {xs.lo, xs.hi, 0, ys.lo, band},
        {xs.lo, xs.hi, ys.hi, out_h, band},      {0, xs.lo, 0, out_h, strip},
        {xs.hi, out_w, 0, out_h, strip},
    };
    std::vector<Region> regions;
    for (const Region& r : candidates) {
        if (r.x0 < r.x1 && r.y0 < r.y1) regions.push_back(r);
    }
    return regions;
}

// The masked kind's plane as rows whose taps read inside the image (where a
// whole tile of them is; the kernel runs them without row checks) and the
// bands above and below them, with row checks. The checked kind computes
// one row per tile, so its bands are not widened: only the rows that read
// padding pay for the checks.
std::vector<Region> masked_rows(const ConvShape& s, const ScheduleFacts& tiles) {
    using convkit_abi::kMasked;
    using convkit_abi::kMaskedRows;
    const int64_t out_w = s.out_w(), out_h = s.out_h();
    const Span ys = interior_span(s.H, s.pad_top, s.KH, s.dilation_h, s.stride_h, out_h, tiles.tile_y);
    if (ys.lo >= ys.hi) return {Region{0, out_w, 0, out_h, kMasked}};
    std::vector<Region> regions;
    for (const Region& r : {Region{0, out_w, 0, ys.lo, kMasked}, Region{0, out_w, ys.lo, ys.hi, kMaskedRows},
                            Region{0, out_w, ys.hi, out_h, kMasked}}) {
        if (r.y0 < r.y1) regions.push_back(r);
    }
    return regions;
}

// `regions` of a plane, for groups [g0, g1).
void append_for_groups(std::vector<Region>& all, std::vector<Region> regions, int64_t g0, int64_t g1) {
    for (Region& r : regions) {
        r.g0 = g0;
        r.g1 = g1;
        all.push_back(r);
    }
}

}  // namespace

std::vector<Region> split_output(const ConvShape& s, const ScheduleFacts& tiles) {
    const bool plane = fits_plane(s, tiles);
    if (!plane && !fits_masked(s, tiles)) {
        std::vector<Region> regions;
        append_for_groups(regions, split_plane(s, tiles), 0, s.groups);
        return regions;
    }
    // The first and the last group as a layer of one group (fits_plane and
    // fits_masked are false for it), the groups between them as one region
    // of the plane or the masked kind.
    ConvShape one = s;
    one.C = s.C / s.groups;
    one.M = s.M / s.groups;
    one.groups = 1;
    const std::vector<Region> edge = split_plane(one, tiles);
    std::vector<Region> regions;
    append_for_groups(regions, edge, 0, 1);
    const std::vector<Region> middle =
        plane ? std::vector<Region>{Region{0, s.out_w(), 0, s.out_h(), convkit_abi::kPlane}} : masked_rows(s, tiles);
    append_for_groups(regions, middle, 1, s.groups - 1);
    append_for_groups(regions, edge, s.groups - 1, s.groups);
    return regions;
}

}  // namespace convkit::detail
