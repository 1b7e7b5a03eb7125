// The runtime's split of an output plane into a padding-free interior and
// border regions (runtime/src/regions.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "cpu.h"
#include "regions.h"
#include "registry.h"
#include "shape_grid.h"
#include "test_util.h"

namespace convkit_test {
namespace {

using convkit::ConvShape;
using convkit::detail::Region;
using convkit::detail::ScheduleFacts;

bool columns_inside(const ConvShape& s, int64_t x) {
    const int64_t x0 = x * s.stride_w - s.pad_left;
    return x0 >= 0 && x0 + (s.KW - 1) * s.dilation_w < s.W;
}

bool rows_inside(const ConvShape& s, int64_t y) {
    const int64_t y0 = y * s.stride_h - s.pad_top;
    return y0 >= 0 && y0 + (s.KH - 1) * s.dilation_h < s.H;
}

// Whether every output of `r` reads only inside the input along x (y).
bool x_inside(const ConvShape& s, const Region& r) {
    for (int64_t x = r.x0; x < r.x1; ++x)
        if (!columns_inside(s, x)) return false;
    return true;
}
bool y_inside(const ConvShape& s, const Region& r) {
    for (int64_t y = r.y0; y < r.y1; ++y)
        if (!rows_inside(s, y)) return false;
    return true;
}

// Every output pixel lies in exactly one region. When split, exactly one
// region (the interior) reads only inside the input, and it is at least one
// tile; the bands share its columns and read inside along x; the strips run
// the full height of the plane beside them. Each region's kind fits it: the
// axes the kind leaves unchecked read only inside the input, and the region
// is at least one tile of that kind long.
void check_split(const ConvShape& s, const ScheduleFacts& tiles, int& interiors);

// The first and the last group of a plane or masked kind split: each as a
// layer of one group (`edge`, checked by check_split) around the regions
// of the groups between them (`middle`, the regions' other part).
void check_edge_groups(const ConvShape& s, const ScheduleFacts& tiles, const std::vector<Region>& regions,
                       size_t middle, int& interiors) {
    ConvShape one = s;
    one.C = s.C / s.groups;
    one.M = s.M / s.groups;
    one.groups = 1;
    const std::vector<Region> edge = convkit::detail::split_output(one, tiles);
    check_split(one, tiles, interiors);
    ASSERT_EQ(regions.size(), 2 * edge.size() + middle);
    for (size_t i = 0; i < edge.size(); ++i) {
        for (const auto& [r, g] : {std::pair{regions[i], int64_t(0)},
                                   std::pair{regions[edge.size() + middle + i], s.groups - 1}}) {
            EXPECT_EQ(r.kind, edge[i].kind);
            EXPECT_EQ(std::tie(r.x0, r.x1, r.y0, r.y1), std::tie(edge[i].x0, edge[i].x1, edge[i].y0, edge[i].y1));
            EXPECT_EQ(r.g0, g);
            EXPECT_EQ(r.g1, g + 1);
        }
    }
}

// The plane kind's split: the groups between the first and the last in one
// region, which fits the kind (one input channel per group, stride 1,
// output rows as long as the input's, a kernel of at most
// kPlaneMaxKernelSize squared, the outputs and their taps' reach within the
// bound, at least a tile of outputs and kPlaneGroups groups, taps reaching
// no further than the neighbouring planes); the first and the last group
// split as a layer of one group.
void check_plane_split(const ConvShape& s, const ScheduleFacts& tiles, const std::vector<Region>& regions,
                       int& interiors) {
    using namespace convkit_abi;
    EXPECT_EQ(s.C / s.groups, 1);
    EXPECT_EQ(s.stride_w, 1);
    EXPECT_EQ(s.stride_h, 1);
    EXPECT_EQ(s.out_w(), s.W);
    EXPECT_LE(std::max(s.KW, s.KH), kPlaneMaxKernelSize);
    const int64_t reach = (s.KH - 1) * s.dilation_h * s.W + (s.KW - 1) * s.dilation_w;
    const int64_t outputs = s.out_h() * s.W, plane = s.H * s.W;
    EXPECT_LE(outputs + reach, tiles.plane_elements);
    EXPECT_GE(outputs, tiles.plane_tile);
    const convkit::detail::PlaneReach past = convkit::detail::plane_reach(s);
    EXPECT_LE(past.before, plane);
    EXPECT_LE(past.after, plane);
    // What the outputs read: [-before, outputs + reach - before).
    EXPECT_EQ(past.before, s.pad_top * s.W + s.pad_left);
    EXPECT_EQ(past.after, std::max<int64_t>(outputs + reach - past.before - plane, 0));
    ASSERT_GE(regions.size(), 3u);
    const Region& middle = regions[regions.size() / 2];
    EXPECT_EQ(middle.kind, kPlane);
    EXPECT_EQ(middle.g0, 1);
    EXPECT_EQ(middle.g1, s.groups - 1);
    EXPECT_GE(middle.g1 - middle.g0, kPlaneGroups);
    for (const Region& r : regions) EXPECT_TRUE(r.kind != kPlane || &r == &middle);
    check_edge_groups(s, tiles, regions, 1, interiors);
}

// The masked kind's split: the groups between the first and the last as
// whole rows of the plane (one input channel per group, kPlaneGroups groups
// besides the first and the last, rows at least a masked tile wide, where
// the plane kind does not fit), in row bands: kMaskedRows where every row
// read is inside and a tile of rows is there, kMasked elsewhere (and then
// only on rows that read padding). Its view's
// reach past each row's ends is what the taps read there.
void check_masked_split(const ConvShape& s, const ScheduleFacts& tiles, const std::vector<Region>& regions,
                        int& interiors) {
    using namespace convkit_abi;
    EXPECT_EQ(s.C / s.groups, 1);
    EXPECT_GE(s.groups, kPlaneGroups + 2);
    EXPECT_GE(s.out_w(), tiles.masked_columns);
    EXPECT_FALSE(convkit::detail::fits_plane(s, tiles));
    const convkit::detail::MaskedReach reach = convkit::detail::masked_reach(s);
    const int64_t last = (s.out_w() - 1) * s.stride_w + (s.KW - 1) * s.dilation_w - s.pad_left;
    EXPECT_EQ(reach.before, s.pad_left);
    EXPECT_EQ(reach.after, std::max<int64_t>(last - (s.W - 1), 0));
    size_t middle = 0;
    bool unchecked = false;
    for (const Region& r : regions) {
        if (r.kind != kMasked && r.kind != kMaskedRows) continue;
        ++middle;
        EXPECT_EQ(r.g0, 1);
        EXPECT_EQ(r.g1, s.groups - 1);
        EXPECT_EQ(r.x0, 0);
        EXPECT_EQ(r.x1, s.out_w());
        if (r.kind == kMaskedRows) {
            EXPECT_TRUE(y_inside(s, r));
            EXPECT_GE(r.y1 - r.y0, tiles.tile_y);
            unchecked = true;
        }
    }
    EXPECT_GE(middle, 1u);
    // Beside unchecked rows, the checked kind gets only the rows that read
    // padding (it computes one row per tile: no band is widened).
    for (const Region& r : regions) {
        if (!unchecked || r.kind != kMasked) continue;
        for (int64_t y = r.y0; y < r.y1; ++y) EXPECT_FALSE(rows_inside(s, y)) << "row " << y;
    }
    check_edge_groups(s, tiles, regions, middle, interiors);
}

void check_split(const ConvShape& s, const ScheduleFacts& tiles, int& interiors) {
    using namespace convkit_abi;
    SCOPED_TRACE(shape_name(s) + " tile " + std::to_string(tiles.tile_x) + "x" + std::to_string(tiles.tile_y));
    const std::vector<Region> regions = convkit::detail::split_output(s, tiles);
    const int64_t pixels = s.out_w() * s.out_h();
    std::vector<int> covered(size_t(s.groups * pixels), 0);
    bool plane = false, masked = false;
    for (const Region& r : regions) {
        ASSERT_LT(r.x0, r.x1);
        ASSERT_LT(r.y0, r.y1);
        ASSERT_LE(0, r.g0);
        ASSERT_LT(r.g0, r.g1);
        ASSERT_LE(r.g1, s.groups);
        plane = plane || r.kind == kPlane;
        masked = masked || r.kind == kMasked || r.kind == kMaskedRows;
        for (int64_t g = r.g0; g < r.g1; ++g)
            for (int64_t y = r.y0; y < r.y1; ++y)
                for (int64_t x = r.x0; x < r.x1; ++x) covered[size_t(g * pixels + y * s.out_w() + x)]++;
        const int64_t width = r.x1 - r.x0, height = r.y1 - r.y0;
        if (r.kind == kInterior) {
            EXPECT_TRUE(x_inside(s, r) && y_inside(s, r));
            EXPECT_GE(width, tiles.tile_x);
            EXPECT_GE(height, tiles.tile_y);
        }
        if (r.kind == kBand) EXPECT_TRUE(x_inside(s, r) && width >= tiles.band_x);
        if (r.kind == kStrip) EXPECT_TRUE(tiles.column_rows > 0 && height >= tiles.column_rows);
    }
    for (int c : covered) ASSERT_EQ(c, 1);
    if (plane) return check_plane_split(s, tiles, regions, interiors);
    if (masked) return check_masked_split(s, tiles, regions, interiors);
    // Otherwise every region covers all groups.
    for (const Region& r : regions) EXPECT_TRUE(r.g0 == 0 && r.g1 == s.groups);
    auto footprint = [](int64_t outputs, int64_t stride, int64_t k, int64_t dilation) {
        return (outputs - 1) * stride + (k - 1) * dilation + 1;
    };
    if (regions.size() == 1 && regions[0].kind == kLanes) {
        // A vector of groups at a time, one input channel each, over a copy
        // of the whole padded plane that fits its bound.
        EXPECT_EQ(s.C / s.groups, 1);
        EXPECT_GE(s.groups, tiles.lanes_groups);
        EXPECT_LE(footprint(s.out_w(), s.stride_w, s.KW, s.dilation_w), tiles.lanes_columns);
        EXPECT_LE(footprint(s.out_h(), s.stride_h, s.KH, s.dilation_h), tiles.lanes_rows);
        return;
    }
    if (regions.size() == 1 && regions[0].kind == kStaged) {
        // The copy fits: one row tile's input rows of one input channel per
        // group (depthwise), or a padded plane's input rows for a pass of
        // output rows, computed in whole tiles.
        int64_t computed_w = std::max<int64_t>(s.out_w(), tiles.tile_x), computed_h = tiles.tile_y;
        if (tiles.staged_channels > 0) {
            EXPECT_GT(s.pad_left + s.pad_right + s.pad_top + s.pad_bottom, 0);
            auto whole_tiles = [](int64_t n, int64_t tile) { return (n + tile - 1) / tile * tile; };
            computed_w = whole_tiles(s.out_w(), tiles.tile_x);
            computed_h = whole_tiles(std::min<int64_t>(s.out_h(), tiles.staged_plane_rows), tiles.tile_y);
        } else {
            EXPECT_EQ(s.C / s.groups, 1);
        }
        EXPECT_LE(footprint(computed_w, s.stride_w, s.KW, s.dilation_w), tiles.staged_columns);
        EXPECT_LE(footprint(computed_h, s.stride_h, s.KH, s.dilation_h), tiles.staged_rows);
        return;
    }
    if (regions.size() == 1) {
        // The whole plane: the interior when it reads no padding, else a border.
        const Region& r = regions[0];
        const bool interior = x_inside(s, r) && y_inside(s, r) && r.x1 - r.x0 >= tiles.tile_x &&
                              r.y1 - r.y0 >= tiles.tile_y;
        EXPECT_EQ(r.kind, interior ? kInterior : kBorder);
        return;
    }
    const Region* interior = nullptr;
    for (const Region& r : regions) {
        if (!x_inside(s, r) || !y_inside(s, r)) continue;
        EXPECT_EQ(interior, nullptr) << "two interior regions";
        interior = &r;
    }
    ASSERT_NE(interior, nullptr);
    EXPECT_EQ(interior->kind, kInterior);
    for (const Region& r : regions) {
        const bool band = r.x0 == interior->x0 && r.x1 == interior->x1;
        if (band) {
            EXPECT_TRUE(x_inside(s, r));
        } else {
            EXPECT_FALSE(x_inside(s, r)) << "strip";
            EXPECT_EQ(r.y1 - r.y0, s.out_h()) << "strip";
        }
    }
    interiors++;
}

// A kernel's tiles, as its ScheduleFacts publish them.
ScheduleFacts tiling(int tile_x, int tile_y, int band_x, int band_y, int column_rows, int staged_columns = 0,
                     int staged_rows = 0, int staged_channels = 0, int staged_plane_rows = 0,
                     int lanes_groups = 0, int lanes_side = 0, int plane_elements = 0, int plane_tile = 0,
                     int masked_columns = 0) {
    ScheduleFacts f;
    f.tile_x = tile_x;
    f.tile_y = tile_y;
    f.band_x = band_x;
    f.band_y = band_y;
    f.column_rows = column_rows;
    f.staged_columns = staged_columns;
    f.staged_rows = staged_rows;
    f.staged_channels = staged_channels;
    f.staged_plane_rows = staged_plane_rows;
    f.lanes_groups = lanes_groups;
    f.lanes_columns = f.lanes_rows = lanes_side;
    f.plane_elements = plane_elements;
    f.plane_tile = plane_tile;
    f.masked_columns = masked_columns;
    return f;
}

TEST(Regions, SplitCoversOutputOnceWithOneInterior) {
    int interiors = 0;
    const ScheduleFacts tilings[] = {tiling(1, 1, 1, 1, 0),          tiling(6, 1, 6, 1, 6),
                                     tiling(12, 1, 12, 1, 0),        tiling(32, 4, 32, 4, 8),
                                     tiling(7, 2, 7, 1, 7),          tiling(16, 3, 16, 3, 8),
                                     tiling(16, 8, 16, 8, 8, 208, 19), tiling(8, 8, 8, 8, 8, 20, 10),
                                     tiling(7, 2, 7, 1, 7, 16, 16, 16, 8), tiling(4, 3, 4, 1, 4, 9, 7, 8, 4),
                                     tiling(16, 8, 16, 8, 8, 208, 19, 0, 0, 16, 16),
                                     tiling(4, 8, 4, 8, 8, 208, 19, 0, 0, 4, 32),
                                     tiling(16, 8, 16, 8, 8, 208, 19, 0, 0, 16, 16, 1333, 32),
                                     tiling(8, 8, 8, 8, 8, 208, 19, 0, 0, 8, 22, 2032, 16),
                                     tiling(16, 8, 16, 8, 8, 208, 19, 0, 0, 16, 16, 1333, 32, 16),
                                     tiling(4, 8, 4, 8, 8, 208, 19, 0, 0, 4, 32, 2036, 8, 4)};
    for (const ConvShape& s : grid_shapes())
        for (const ScheduleFacts& tiles : tilings) check_split(s, tiles, interiors);
    EXPECT_GT(interiors, 20) << "too few grid shapes exercise the interior/border split";
}

// The grid runs every path of every compiled kernel that splits: each kind
// of region (interior, band, strip where the kernel has a strip tiling,
// border) on several shapes.
TEST(Regions, GridExercisesEveryKernelsPaddingPaths) {
    using namespace convkit_abi;
    for (const auto& entry : convkit::detail::registry()) {
        int split = 0, flat = 0, kinds[kMaskedRows + 1] = {};
        for (const ConvShape& s : grid_shapes()) {
            const ConvShape called = convkit::detail::call_shape(s, entry.facts);
            flat += called.W != s.W;
            const std::vector<Region> regions = convkit::detail::split_output(called, entry.facts);
            split += regions.size() == 5;
            for (const Region& r : regions) kinds[r.kind]++;
        }
        EXPECT_GE(split, 3) << entry.info.name;
        EXPECT_GE(kinds[kInterior], 3) << entry.info.name;
        EXPECT_GE(kinds[kBand], 6) << entry.info.name;
        EXPECT_GE(kinds[kBorder], 6) << entry.info.name;
        if (entry.facts.column_rows > 0) EXPECT_GE(kinds[kStrip], 6) << entry.info.name;
        if (entry.facts.staged_columns > 0) EXPECT_GE(kinds[kStaged], 6) << entry.info.name;
        if (entry.facts.lanes_groups > 0) EXPECT_GE(kinds[kLanes], 6) << entry.info.name;
        if (entry.facts.plane_elements > 0) EXPECT_GE(kinds[kPlane], 6) << entry.info.name;
        if (entry.facts.masked_columns > 0) {
            EXPECT_GE(kinds[kMasked], 6) << entry.info.name;
            EXPECT_GE(kinds[kMaskedRows], 3) << entry.info.name;
        }
        if (entry.facts.flat_columns > 0) EXPECT_GE(flat, 4) << entry.info.name;
    }
}

// The flat view of a 1x1 stride-1 unpadded layer covers the same memory
// (every plane, pixel for pixel) with rows of flat_columns pixels; any other
// layer, or a plane that holds no whole number of rows, is called as it is.
TEST(Regions, CallShapeViewsPointwisePlanesAsWholeVectorRows) {
    ScheduleFacts facts;
    facts.flat_columns = 16;
    const ConvShape layer = Shape(2, 64, 56, 56).out(24).kernel(1, 1).groups(2);
    const ConvShape flat = convkit::detail::call_shape(layer, facts);
    EXPECT_EQ(flat.W, 16);
    EXPECT_EQ(flat.H, 196);
    EXPECT_EQ(flat.out_w(), 16);
    EXPECT_EQ(flat.out_h(), 196);
    EXPECT_EQ(flat.N, layer.N);
    EXPECT_EQ(flat.C, layer.C);
    EXPECT_EQ(flat.M, layer.M);
    EXPECT_EQ(flat.groups, layer.groups);
    const ConvShape as_is[] = {
        Shape(1, 64, 56, 56).out(24).kernel(3, 3).pad(1),         // not 1x1
        Shape(1, 64, 56, 56).out(24).kernel(1, 1).stride(2, 2),   // strided
        Shape(1, 64, 56, 56).out(24).kernel(1, 1).pad(0, 1, 0, 0),  // padded
        Shape(1, 64, 7, 7).out(24).kernel(1, 1),                  // 49 pixels
    };
    for (const ConvShape& s : as_is) EXPECT_EQ(convkit::detail::call_shape(s, facts).W, s.W) << shape_name(s);
    facts.flat_columns = 0;
    EXPECT_EQ(convkit::detail::call_shape(layer, facts).W, 56);
    // Over the grid: a flat view keeps every plane's pixels and the layer.
    facts.flat_columns = 8;
    int flattened = 0;
    for (const ConvShape& s : grid_shapes()) {
        const ConvShape c = convkit::detail::call_shape(s, facts);
        if (c.W == s.W) continue;
        flattened++;
        EXPECT_EQ(c.H * c.W, s.H * s.W) << shape_name(s);
        EXPECT_EQ(c.out_h() * c.out_w(), s.out_h() * s.out_w()) << shape_name(s);
        EXPECT_EQ(c.input_elements(), s.input_elements()) << shape_name(s);
        EXPECT_EQ(c.output_elements(), s.output_elements()) << shape_name(s);
        EXPECT_EQ(c.weight_elements(), s.weight_elements()) << shape_name(s);
    }
    EXPECT_GE(flattened, 5);
}

// A float buffer of the given (min, extent) dimensions, densely strided.
struct Buffer {
    std::vector<float> data;
    std::vector<halide_dimension_t> dims;
    halide_buffer_t buf = {};
    Buffer(std::initializer_list<std::pair<int, int>> shape, float value) {
        int32_t stride = 1;
        for (auto [min, extent] : shape) {
            dims.emplace_back(min, extent, stride);
            stride *= extent;
        }
        data.assign(size_t(stride), value);
        buf.host = reinterpret_cast<uint8_t*>(data.data());
        buf.type = halide_type_t(halide_type_float, 32);
        buf.dimensions = int(dims.size());
        buf.dim = dims.data();
    }
};

// A direct kernel called on a region that does not fit the kind it names
// (the interior kind on a padded plane, or an unknown kind) writes nothing
// and returns an error, except where Halide's checks are compiled out (the
// AVX-512 kernels are built with no_asserts, cmake/ConvkitHalide.cmake: they
// write nothing and return 0; the runtime only ever names fitting kinds,
// which the tests above check). The border kind, right for any region, runs.
TEST(Regions, DirectKernelsRefuseARegionThatDoesNotFitItsKind) {
    using namespace convkit_abi;
    // Halide's default handler aborts; keep the message instead.
    static std::string last_error;
    const auto previous = halide_set_error_handler([](void*, const char* msg) { last_error = msg; });
    int checked = 0;
    for (const auto& entry : convkit::detail::registry()) {
        if (!entry.facts.split_regions || !convkit::detail::cpu_supports(entry.info.isa)) continue;
        SCOPED_TRACE(entry.info.name + " " + entry.info.isa);
        const bool checks_compiled = entry.info.isa != "avx512";
        const int block = entry.facts.block, size = 20;
        Buffer input({{0, size}, {0, size}, {0, 2}, {0, 1}, {0, 1}}, 1.0f);
        Buffer weights({{0, block}, {0, 2}, {0, 3}, {0, 3}, {0, 1}, {0, 1}}, 0.5f);
        Buffer bias({{0, block}, {0, 1}, {0, 1}}, 0.0f);
        // Two input channels per group: no masked kind takes them either.
        for (int kind : {int(kInterior), int(kMasked), int(kMaskedRows), 9, int(kBorder)}) {
            Buffer output({{0, size}, {0, size}, {0, 1}, {0, 1}, {0, 1}}, 42.0f);
            last_error.clear();
            const int rc = entry.fn(nullptr, &input.buf, &weights.buf, &bias.buf, 1, 1, 1, 1, 1, 1, false, 1,
                                    kind, &output.buf);
            const bool untouched =
                std::all_of(output.data.begin(), output.data.end(), [](float v) { return v == 42.0f; });
            if (kind == kBorder) {
                EXPECT_EQ(rc, 0);
                EXPECT_EQ(output.data[0], 4 * 2 * 0.5f) << "corner: 2x2 taps x 2 channels inside";
                EXPECT_EQ(output.data[size + 1], 9 * 2 * 0.5f) << "inside: 3x3 taps x 2 channels";
                continue;
            }
            EXPECT_TRUE(untouched) << "kind " << kind;
            if (checks_compiled) {
                EXPECT_NE(rc, 0) << "kind " << kind;
                EXPECT_FALSE(last_error.empty()) << "kind " << kind;
            }
        }
        checked++;
    }
    halide_set_error_handler(previous);
    EXPECT_GE(checked, 3);
}

}  // namespace
}  // namespace convkit_test
