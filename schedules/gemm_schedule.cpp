#include "gemm_schedule.h"

#include <algorithm>

namespace convkit_gen {

OutputTiling channel_tiling(const TargetFacts& f) {
    const int vectors_per_block = f.vector_lanes == 4 ? 4 : 2;
    const int free_regs = f.vector_registers - vectors_per_block - 1;
    const int pixels = free_regs / vectors_per_block;
    return OutputTiling{vectors_per_block * f.vector_lanes, std::min(12, pixels), 1, f.vector_lanes};
}

void channel_register_tile(Func acc, const RDom& r, const ConvVars& v, const ConvGeometry& geometry,
                           const TargetFacts& f, bool unroll_x) {
    acc.reorder_storage(v.lane, v.x, v.y, v.block, v.g, v.n).vectorize(v.lane, f.vector_lanes).unroll(v.lane);
    if (unroll_x) acc.unroll(v.x);
    Stage update = acc.update();
    // The reduction's dimensions inside the tile, innermost first.
    std::vector<VarOrRVar> loops = {v.lane, v.x, v.y};
    for (int i = 0; i < r.dimensions(); ++i) loops.push_back(r[i]);
    loops.insert(loops.end(), {v.block, v.g, v.n});
    update.reorder(loops)
        .vectorize(v.lane, f.vector_lanes)
        .unroll(v.lane)
        .unroll(v.y);
    if (unroll_x) update.unroll(v.x);
    specialize_common_geometry(update, geometry);
}

TileVars schedule_channel_product(ProductFuncs& p, const OutputTiling& tiling, const TargetFacts& f) {
    TileVars t;
    tile_output(p.tiled, p.extents, p.accumulators, p.v, t, tiling, p.threads);
    for (Func acc : p.accumulators) channel_register_tile(acc, p.r, p.v, p.geometry, f, true);
    return t;
}

}  // namespace convkit_gen
