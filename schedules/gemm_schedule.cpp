#include "gemm_schedule.h"

#include <algorithm>

namespace convkit_gen {

OutputTiling channel_tiling(const TargetFacts& f) {
    const int vectors_per_block = f.vector_lanes == 4 ? 4 : 2;
    const int free_regs = f.vector_registers - vectors_per_block - 1;
    const int pixels = free_regs / vectors_per_block;
    return OutputTiling{vectors_per_block * f.vector_lanes, std::min(12, pixels), 1, f.vector_lanes};
}

TileVars schedule_channel_product(ProductFuncs& p, const OutputTiling& tiling, const TargetFacts& f) {
    TileVars t;
    tile_output(p.tiled, p.extents, p.accumulators, p.v, t, tiling, p.threads,
                p.columns ? &*p.columns : nullptr);
    const ConvVars& v = p.v;
    // In registers: every lane, column and row of the tile unrolled. A strip
    // tile's single column is not: other tilings ask the same Func for a
    // variable number of columns, which it never computes.
    auto in_registers = [&](Func acc, bool unroll_x) {
        acc.reorder_storage(v.lane, v.x, v.y, v.block, v.g, v.n)
            .vectorize(v.lane, f.vector_lanes)
            .unroll(v.lane);
        if (unroll_x) acc.unroll(v.x);
        Stage update = acc.update();
        update.reorder(v.lane, v.x, v.y, p.r.x, p.r.y, p.r.z, v.block, v.g, v.n)
            .vectorize(v.lane, f.vector_lanes)
            .unroll(v.lane)
            .unroll(v.y);
        if (unroll_x) update.unroll(v.x);
        specialize_common_geometry(update, p.geometry);
    };
    for (Func acc : p.accumulators) in_registers(acc, true);
    if (p.columns) in_registers(p.columns->accumulator, false);
    return t;
}

}  // namespace convkit_gen
