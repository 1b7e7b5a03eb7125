// Schedules of the im2col patch matrix (generators/im2col_generator.cpp); the
// GEMM itself uses the shared product schedule (gemm_schedule.h).
#pragma once

#include <string>

#include "gemm_schedule.h"

namespace convkit_gen {

enum class Im2colSchedule {
    Classic,  // the whole patch matrix first: N*C*KH*KW*Ho*Wo floats
    Tiled,    // per row tile, inside the GEMM's tile loop: Cg*KH*KW*Wo*tile_y floats per thread
};

Im2colSchedule im2col_schedule_from(const std::string& name);

// patches: (c, kx, ky, x, y, g, n); t: the output's tile loops.
void schedule_patches(Im2colSchedule s, Func patches, Func output, const TileVars& t,
                      const ConvVars& v, const Expr& threads);

}  // namespace convkit_gen
