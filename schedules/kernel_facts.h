// What the runtime needs to know of a kernel's schedule, per lowering; read
// through the generated info pipeline (generators/kernel_info_generator.cpp).
#pragma once

#include <string>

#include "conv_common.h"

namespace convkit_gen {

struct KernelFacts {
    int block;           // output channels per packed weight block
    int tile_x, tile_y;  // output register tile
    bool split_regions;  // run the interior and border regions as separate calls
    int column_rows;     // rows per tile of the left/right padding strips (0: none)
    int band_x, band_y;  // tile of the top/bottom padding bands
    int staged_columns, staged_rows;  // staged kind's input copy bound (0: no staged kind)
    int staged_channels;  // input channels per whole-plane copy (0: depthwise row tiles)
    int staged_plane_rows;  // output rows per whole-plane pass
    int lanes_groups;       // groups per vector of the lanes kind (0: no lanes kind)
    int lanes_columns, lanes_rows;  // lanes kind's plane copy bound
    int flat_columns;       // plane width of 1x1 stride-1 unpadded layers (0: as they are)
    int plane_elements;     // plane kind's outputs + taps' reach bound, in pixels (0: no plane kind)
    int segment_columns;    // output columns per segment (tile_output_in_segments; 0: no segments)
    int plane_tile;         // plane kind's register tile, in flat outputs (0: no plane kind)
    int masked_columns;     // masked kind's output columns per register tile (0: no masked kind)
    int row_tile_widths;    // direct_padded: bit w set: maps exactly w wide compute one whole row per tile
};

KernelFacts kernel_facts(const std::string& lowering, const std::string& schedule,
                         const TargetFacts& target);

}  // namespace convkit_gen
