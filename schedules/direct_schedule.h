// Schedules for the direct convolution (generators/direct_generator.cpp).
#pragma once

#include <functional>
#include <string>

#include "conv_common.h"

namespace convkit_gen {

// The Funcs and variables of the direct algorithm that a schedule touches.
struct DirectFuncs {
    // Accumulators (x, y, lane, block, g, n): interior and border variants of
    // one update, scheduled alike.
    std::vector<Func> accumulators;
    Func output;  // (x, y, m, g, n)
    RDom r;       // (c, kx, ky)
    ConvVars v;
    Expr threads;
    ConvGeometry geometry;
};

struct DirectSchedule {
    int block;   // output channels per packed weight block (B)
    int tile_x;  // output columns per register tile
    int tile_y;  // output rows per register tile
    std::function<void(DirectFuncs&)> apply;
};

// "channels": vectorized over output channels, a register tile of B channels
//             x a few output columns; for dense and grouped layers.
// "width":    vectorized over output columns, B = 1; for depthwise layers.
DirectSchedule direct_schedule_for(const std::string& name, const TargetFacts& facts);

}  // namespace convkit_gen
