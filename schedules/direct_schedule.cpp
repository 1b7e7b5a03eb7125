#include "direct_schedule.h"

#include <algorithm>

namespace convkit_gen {
namespace {

DirectSchedule channels_schedule(const TargetFacts& f) {
    const OutputTiling tiling = channel_tiling(f);
    // A column strip's tile is the row tile turned on its side: as many
    // accumulators, and its padding checks are one per kernel column. Its
    // storage is sized for the row tile's columns too (the row tiling asks
    // for them, without computing them); Halide puts at most 16 KB on the
    // stack, so fewer rows where that would not fit.
    constexpr int kMaxStackBytes = 16 * 1024;
    const int column_rows =
        std::min(tiling.tile_x, kMaxStackBytes / int(sizeof(float) * tiling.block * tiling.tile_x));
    return DirectSchedule{tiling, [tiling, f](ProductFuncs& p) { schedule_channel_product(p, tiling, f); },
                          column_rows};
}

// Depthwise: one output channel per group, so vectorize over output columns
// and block rows for enough independent accumulators.
DirectSchedule width_schedule(const TargetFacts& f) {
    // rows x vectors accumulators: 8 hide the FMA latency on every target.
    // One vector wide: maps of 28 or 56 columns keep an interior at every
    // vector width.
    const int rows = 8;
    const int vectors = 1;
    const OutputTiling tiling{1, vectors * f.vector_lanes, rows, f.vector_lanes};
    auto apply = [tiling, f](ProductFuncs& p) {
        TileVars t;
        tile_output(p.tiled, p.extents, p.accumulators, p.v, t, tiling, p.threads,
                    p.columns ? &*p.columns : nullptr);
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
        // The padding strips, one column at a time: scalar, but a vector
        // tile there would need a gather per tap for its clamped columns.
        if (p.columns) {
            Func acc = p.columns->accumulator;
            acc.unroll(v.y);
            acc.update().reorder(v.x, v.y, v.lane, p.r.x, p.r.y, p.r.z, v.block, v.g, v.n).unroll(v.y);
            specialize_common_geometry(acc.update(), p.geometry);
        }
    };
    // Strip tiles as high as the row tile: the row tiling's accumulators
    // are bound to that many rows, and the strip tiling asks them for as many.
    return DirectSchedule{tiling, apply, rows, true};
}

}  // namespace

DirectSchedule direct_schedule_for(const std::string& name, const TargetFacts& facts) {
    if (name == "channels") return channels_schedule(facts);
    if (name == "width") return width_schedule(facts);
    throw std::invalid_argument("unknown direct schedule '" + name + "'");
}

}  // namespace convkit_gen
