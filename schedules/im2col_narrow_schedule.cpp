// Worked example of docs/adding_a_schedule.md: im2col_tiled with register
// tiles half as wide (fewer columns per tile, smaller patch buffers).
#include <algorithm>

#include "im2col_schedule.h"

namespace convkit_gen {

OutputTiling narrow_channel_tiling(const TargetFacts& f) {
    OutputTiling t = channel_tiling(f);
    t.tile_x = std::max(1, t.tile_x / 2);
    return t;
}

}  // namespace convkit_gen
