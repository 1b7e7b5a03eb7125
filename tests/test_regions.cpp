// The runtime's split of an output plane into a padding-free interior and
// border regions (runtime/src/regions.h).
#include <gtest/gtest.h>

#include <vector>

#include "regions.h"
#include "registry.h"
#include "shape_grid.h"
#include "test_util.h"

namespace convkit_test {
namespace {

using convkit::ConvShape;
using convkit::detail::Region;

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
// tile; every other region shares its columns (a band: only its rows read
// padding), its rows (a strip: only its columns do), or neither (a corner).
void check_split(const ConvShape& s, int tile_x, int tile_y, int& interiors) {
    SCOPED_TRACE(shape_name(s) + " tile " + std::to_string(tile_x) + "x" + std::to_string(tile_y));
    const std::vector<Region> regions = convkit::detail::split_output(s, tile_x, tile_y);
    std::vector<int> covered(size_t(s.out_w() * s.out_h()), 0);
    for (const Region& r : regions) {
        ASSERT_LT(r.x0, r.x1);
        ASSERT_LT(r.y0, r.y1);
        for (int64_t y = r.y0; y < r.y1; ++y)
            for (int64_t x = r.x0; x < r.x1; ++x) covered[size_t(y * s.out_w() + x)]++;
    }
    for (int c : covered) ASSERT_EQ(c, 1);
    if (regions.size() == 1) return;
    const Region* interior = nullptr;
    for (const Region& r : regions) {
        if (!x_inside(s, r) || !y_inside(s, r)) continue;
        EXPECT_EQ(interior, nullptr) << "two interior regions";
        interior = &r;
    }
    ASSERT_NE(interior, nullptr);
    EXPECT_GE(interior->x1 - interior->x0, tile_x);
    EXPECT_GE(interior->y1 - interior->y0, tile_y);
    for (const Region& r : regions) {
        const bool band = r.x0 == interior->x0 && r.x1 == interior->x1;
        const bool strip = r.y0 == interior->y0 && r.y1 == interior->y1;
        if (band) EXPECT_TRUE(x_inside(s, r));
        if (strip) EXPECT_TRUE(y_inside(s, r));
        if (!band && !strip) EXPECT_FALSE(x_inside(s, r) || y_inside(s, r)) << "corner";
    }
    interiors++;
}

TEST(Regions, SplitCoversOutputOnceWithOneInterior) {
    int interiors = 0;
    for (const ConvShape& s : grid_shapes())
        for (auto [tx, ty] : {std::pair{1, 1}, {6, 1}, {12, 1}, {32, 4}}) check_split(s, tx, ty, interiors);
    EXPECT_GT(interiors, 20) << "too few grid shapes exercise the interior/border split";
}

// The grid runs every path of every compiled kernel that splits: the
// interior, the bands, the corners, and (where the kernel has a strip
// tiling) strips tall enough for it: one column x column_rows rows per tile,
// without row checks.
TEST(Regions, GridExercisesEveryKernelsPaddingPaths) {
    for (const auto& entry : convkit::detail::registry()) {
        const int tile_x = entry.facts.tile_x, tile_y = entry.facts.tile_y;
        int split = 0, tall_strips = 0;
        for (const ConvShape& s : grid_shapes()) {
            const std::vector<Region> regions = convkit::detail::split_output(s, tile_x, tile_y);
            split += regions.size() == 9;
            for (const Region& r : regions) {
                const bool strip = !x_inside(s, r) && y_inside(s, r);
                tall_strips += strip && r.y1 - r.y0 >= entry.facts.column_rows;
            }
        }
        EXPECT_GE(split, 3) << entry.info.name;
        if (entry.facts.column_rows > 0) EXPECT_GE(tall_strips, 6) << entry.info.name;
    }
}

}  // namespace
}  // namespace convkit_test
