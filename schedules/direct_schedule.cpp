#include "direct_schedule.h"

#include <algorithm>

#include "tiling.h"

namespace convkit_gen {
namespace {

// Accumulators + weight vectors + one broadcast must fit the register file
// (Zhang et al. Eq. 2); more and LLVM spills an accumulator, halving speed.
DirectSchedule channels_schedule(const TargetFacts& f) {
    const int vectors_per_block = f.vector_lanes == 4 ? 4 : 2;
    const int free_regs = f.vector_registers - vectors_per_block - 1;
    const int tile_x = std::min(12, free_regs / vectors_per_block);
    const OutputTiling tiling{vectors_per_block * f.vector_lanes, tile_x, 1, f.vector_lanes};
    auto apply = [tiling, f](DirectFuncs& d) {
        TileVars t;
        tile_output(d.output, d.accumulators, d.v, t, tiling, d.threads);
        const ConvVars& v = d.v;
        for (Func acc : d.accumulators) {
            acc.reorder_storage(v.lane, v.x, v.y, v.block, v.g, v.n)
                .vectorize(v.lane, f.vector_lanes)
                .unroll(v.lane)
                .unroll(v.x);
            acc.update()
                .reorder(v.lane, v.x, v.y, d.r.x, d.r.y, d.r.z, v.block, v.g, v.n)
                .vectorize(v.lane, f.vector_lanes)
                .unroll(v.lane)
                .unroll(v.x)
                .unroll(v.y);
            specialize_common_geometry(acc.update(), d.geometry);
        }
    };
    return DirectSchedule{tiling.block, tiling.tile_x, tiling.tile_y, apply};
}

// Depthwise: one output channel per group, so vectorize over output columns
// and block rows for enough independent accumulators.
DirectSchedule width_schedule(const TargetFacts& f) {
    // rows x vectors accumulators: 8 hide the FMA latency on every target;
    // narrow tiles keep small feature maps (7..56 columns) on the fast path.
    const int rows = 4;
    const int vectors = 2;
    const OutputTiling tiling{1, vectors * f.vector_lanes, rows, f.vector_lanes};
    auto apply = [tiling, f](DirectFuncs& d) {
        TileVars t;
        tile_output(d.output, d.accumulators, d.v, t, tiling, d.threads);
        const ConvVars& v = d.v;
        for (Func acc : d.accumulators) {
            acc.vectorize(v.x, f.vector_lanes).unroll(v.x).unroll(v.y);
            acc.update()
                .reorder(v.x, v.y, v.lane, d.r.x, d.r.y, d.r.z, v.block, v.g, v.n)
                .vectorize(v.x, f.vector_lanes)
                .unroll(v.x)
                .unroll(v.y);
            specialize_common_geometry(acc.update(), d.geometry);
        }
    };
    return DirectSchedule{tiling.block, tiling.tile_x, tiling.tile_y, apply};
}

}  // namespace

DirectSchedule direct_schedule_for(const std::string& name, const TargetFacts& facts) {
    if (name == "channels") return channels_schedule(facts);
    if (name == "width") return width_schedule(facts);
    throw std::invalid_argument("unknown direct schedule '" + name + "'");
}

}  // namespace convkit_gen
