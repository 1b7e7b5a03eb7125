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

bool taps_inside(const ConvShape& s, int64_t x, int64_t y) {
    const int64_t x0 = x * s.stride_w - s.pad_left, y0 = y * s.stride_h - s.pad_top;
    return x0 >= 0 && x0 + (s.KW - 1) * s.dilation_w < s.W && y0 >= 0 &&
           y0 + (s.KH - 1) * s.dilation_h < s.H;
}

bool is_interior(const ConvShape& s, const Region& r) {
    for (int64_t y = r.y0; y < r.y1; ++y)
        for (int64_t x = r.x0; x < r.x1; ++x)
            if (!taps_inside(s, x, y)) return false;
    return true;
}

// Every output pixel lies in exactly one region; at most one region is
// interior, and it is at least one tile; border regions are at least one tile
// unless the output itself is smaller.
void check_split(const ConvShape& s, int tile_x, int tile_y, int& interiors) {
    SCOPED_TRACE(shape_name(s) + " tile " + std::to_string(tile_x) + "x" + std::to_string(tile_y));
    const std::vector<Region> regions = convkit::detail::split_output(s, tile_x, tile_y);
    std::vector<int> covered(size_t(s.out_w() * s.out_h()), 0);
    for (const Region& r : regions) {
        ASSERT_LT(r.x0, r.x1);
        ASSERT_LT(r.y0, r.y1);
        for (int64_t y = r.y0; y < r.y1; ++y)
            for (int64_t x = r.x0; x < r.x1; ++x) covered[size_t(y * s.out_w() + x)]++;
        if (regions.size() > 1) {
            EXPECT_GE(r.x1 - r.x0, tile_x);
            EXPECT_GE(r.y1 - r.y0, tile_y);
        }
    }
    for (int c : covered) ASSERT_EQ(c, 1);
    if (regions.size() > 1) {
        int inside = 0;
        for (const Region& r : regions) inside += is_interior(s, r);
        EXPECT_EQ(inside, 1);
        interiors++;
    }
}

TEST(Regions, SplitCoversOutputOnceWithOneInterior) {
    int interiors = 0;
    for (const ConvShape& s : grid_shapes())
        for (auto [tx, ty] : {std::pair{1, 1}, {6, 1}, {12, 1}, {32, 4}}) check_split(s, tx, ty, interiors);
    EXPECT_GT(interiors, 20) << "too few grid shapes exercise the interior/border split";
}

// The grid runs the interior and the border paths of every compiled kernel.
TEST(Regions, GridExercisesEveryKernelsInteriorPath) {
    for (const auto& entry : convkit::detail::registry()) {
        int split = 0;
        for (const ConvShape& s : grid_shapes()) {
            const bool padded = s.pad_left + s.pad_right + s.pad_top + s.pad_bottom > 0;
            split += padded && convkit::detail::split_output(s, entry.facts.tile_x,
                                                             entry.facts.tile_y).size() > 1;
        }
        EXPECT_GE(split, 3) << entry.info.name;
    }
}

}  // namespace
}  // namespace convkit_test
