#include "direct_schedule.h"

namespace convkit_gen {
namespace {

DirectSchedule channels_schedule(const TargetFacts& f) {
    const OutputTiling tiling = channel_tiling(f);
    return DirectSchedule{tiling, [tiling, f](ProductFuncs& p) { schedule_channel_product(p, tiling, f); }};
}

// Depthwise: one output channel per group, so vectorize over output columns
// and block rows for enough independent accumulators.
DirectSchedule width_schedule(const TargetFacts& f) {
    // rows x vectors accumulators: 8 hide the FMA latency on every target;
    // narrow tiles keep small feature maps (7..56 columns) on the fast path.
    const int rows = 4;
    const int vectors = 2;
    const OutputTiling tiling{1, vectors * f.vector_lanes, rows, f.vector_lanes};
    auto apply = [tiling, f](ProductFuncs& p) {
        TileVars t;
        tile_output(p.tiled, p.extents, p.accumulators, p.v, t, tiling, p.threads);
        const ConvVars& v = p.v;
        for (Func acc : p.accumulators) {
            acc.vectorize(v.x, f.vector_lanes).unroll(v.x).unroll(v.y);
            acc.update()
                .reorder(v.x, v.y, v.lane, p.r.x, p.r.y, p.r.z, v.block, v.g, v.n)
                .vectorize(v.x, f.vector_lanes)
                .unroll(v.x)
                .unroll(v.y);
            specialize_common_geometry(acc.update(), p.geometry);
        }
    };
    return DirectSchedule{tiling, apply};
}

}  // namespace

DirectSchedule direct_schedule_for(const std::string& name, const TargetFacts& facts) {
    if (name == "channels") return channels_schedule(facts);
    if (name == "width") return width_schedule(facts);
    throw std::invalid_argument("unknown direct schedule '" + name + "'");
}

}  // namespace convkit_gen
