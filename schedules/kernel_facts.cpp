#include "kernel_facts.h"

#include <algorithm>

#include "direct_schedule.h"
#include "gemm_schedule.h"

namespace convkit_gen {

KernelFacts kernel_facts(const std::string& lowering, const std::string& schedule,
                         const TargetFacts& target) {
    if (lowering == "direct") {
        const DirectSchedule direct = direct_schedule_for(schedule, target);
        const OutputTiling& t = direct.interior;
        const StagedTiling staged = direct.staged.value_or(StagedTiling{});  // all 0: no staged kind
        const LanesTiling lanes = direct.lanes.value_or(LanesTiling{0, 0, 0});
        // The runtime bounds the outputs and their taps' reach one register
        // tile short of the column masks' storage (the margin the flat copy
        // needed for tiles computed past a short plane, kept: the plane
        // kind now takes planes of at least a tile).
        const int plane_elements = direct.plane ? direct.plane->max_elements - direct.plane->tiling.tile_x : 0;
        const int plane_tile = direct.plane ? direct.plane->tiling.tile_x : 0;
        // Both masked kinds' tiles are at least this wide.
        const int masked_columns = direct.masked ? std::max(t.tile_x, direct.masked->tile_x) : 0;
        return KernelFacts{t.block,           t.tile_x,           t.tile_y,           true,
                           direct.strip.tile_y, direct.band.tile_x, direct.band.tile_y, staged.max_columns,
                           staged.max_rows,     staged.channels,    staged.rows,        lanes.groups,
                           lanes.max_columns,   lanes.max_rows,     direct.flat_columns, plane_elements,
                           0,                   plane_tile,         masked_columns,      0};
    }
    // The GEMM-based lowerings handle padding while lowering, and
    // direct_padded reads a padded copy: one tiling over the whole output
    // (direct_padded's is direct's interior tile, in segments).
    const bool padded = lowering == "direct_padded";
    const OutputTiling t = padded ? direct_channel_tiling(target) : channel_tiling(target);
    const int segment_columns = padded ? kPaddedSegmentTiles * t.tile_x : 0;
    int row_tile_widths = 0;
    if (padded) {
        for (const OutputTiling& row : padded_row_tilings(target)) row_tile_widths |= 1 << row.tile_x;
    }
    return KernelFacts{t.block, t.tile_x, t.tile_y, false, 0, t.tile_x, t.tile_y, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                       segment_columns, 0, 0, row_tile_widths};
}

}  // namespace convkit_gen
