// Schedules for the direct convolution (generators/direct_generator.cpp).
#pragma once

#include <functional>
#include <string>

#include "gemm_schedule.h"

namespace convkit_gen {

struct DirectSchedule {
    OutputTiling tiling;
    std::function<void(ProductFuncs&)> apply;
    // Rows per tile of the left/right padding strips, computed one column x
    // this many rows at a time; 0: the schedule has no column-strip tiling.
    int column_rows = 0;
    // Whether the strip accumulator also checks rows, so that it can take
    // the corners and strips shorter than column_rows too (cheap where it is
    // scalar; a vector tile would need a mask per row).
    bool column_checks_rows = false;
};

// "channels": vectorized over output channels, a register tile of B channels
//             x a few output columns; for dense and grouped layers.
// "width":    vectorized over output columns, B = 1; for depthwise layers.
// "rows":     vectorized over output columns, a block of output channels x
//             a few rows per tile; vector loads and stores along the NCHW
//             rows, for dense and grouped layers on wide maps.
DirectSchedule direct_schedule_for(const std::string& name, const TargetFacts& facts);

}  // namespace convkit_gen
