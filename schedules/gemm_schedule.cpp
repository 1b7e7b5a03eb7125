#include "gemm_schedule.h"

#include <algorithm>

namespace convkit_gen {

OutputTiling channel_tiling(const TargetFacts& f) {
    const int vectors_per_block = f.vector_lanes == 4 ? 4 : 2;
    const int free_regs = f.vector_registers - vectors_per_block - 1;
    const int tile_x = std::min(12, free_regs / vectors_per_block);
    return OutputTiling{vectors_per_block * f.vector_lanes, tile_x, 1, f.vector_lanes};
}

TileVars schedule_channel_product(ProductFuncs& p, const OutputTiling& tiling, const TargetFacts& f) {
    TileVars t;
    tile_output(p.tiled, p.extents, p.accumulators, p.v, t, tiling, p.threads,
                p.columns ? &*p.columns : nullptr);
    const ConvVars& v = p.v;
    std::vector<Func> all = p.accumulators;
    if (p.columns) all.push_back(p.columns->accumulator);
    for (Func acc : all) {
        acc.reorder_storage(v.lane, v.x, v.y, v.block, v.g, v.n)
            .vectorize(v.lane, f.vector_lanes)
            .unroll(v.lane)
            .unroll(v.x);
        acc.update()
            .reorder(v.lane, v.x, v.y, p.r.x, p.r.y, p.r.z, v.block, v.g, v.n)
            .vectorize(v.lane, f.vector_lanes)
            .unroll(v.lane)
            .unroll(v.x)
            .unroll(v.y);
        specialize_common_geometry(acc.update(), p.geometry);
    }
    return t;
}

}  // namespace convkit_gen
