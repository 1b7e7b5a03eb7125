#include "direct_schedule.h"

#include <algorithm>

namespace convkit_gen {
namespace {

// The channel tiling, but 7 columns x 2 rows where 14 pixels fit the
// register file (AVX-512: 28 accumulators + 2 weight vectors + 1 broadcast):
// 7 divides the widths of most CNN feature maps (224, 112, 56, 28, 14, 7), so
// tiles rarely recompute columns, and a 7x7 map is one tile wide. (The
// GEMM-based lowerings keep one row per tile: their workspace formulas
// count computed rows.)
OutputTiling direct_channel_tiling(const TargetFacts& f) {
    OutputTiling tiling = channel_tiling(f);
    const int vectors = tiling.block / f.vector_lanes;
    if ((f.vector_registers - vectors - 1) / vectors >= 14) {
        tiling.tile_x = 7;
        tiling.tile_y = 2;
    }
    return tiling;
}

DirectSchedule channels_schedule(const TargetFacts& f) {
    const OutputTiling tiling = direct_channel_tiling(f);
    // A column strip's tile is the row tile turned on its side: as many
    // accumulators, and its padding checks are one per kernel column. Its
    // storage is sized for the row tile's columns too (the row tiling asks
    // for them, without computing them); Halide puts at most 16 KB on the
    // stack, so fewer rows where that would not fit.
    // Under a tile several rows high, the strip tile has as many rows: the
    // row tile's accumulators are bound to that many, and the strip tiling
    // asks them for its own row count.
    constexpr int kMaxStackBytes = 16 * 1024;
    const int column_rows =
        tiling.tile_y > 1
            ? tiling.tile_y
            : std::min(tiling.tile_x, kMaxStackBytes / int(sizeof(float) * tiling.block * tiling.tile_x));
    return DirectSchedule{tiling, [tiling, f](ProductFuncs& p) { schedule_channel_product(p, tiling, f); },
                          column_rows};
}

// Vectorized over output columns: each tile is one vector of columns x
// `rows` rows x `block` output channels, the channels unrolled. Input rows
// are read as vectors and weights broadcast; every channel's rows are stored
// as vectors straight into the NCHW output (no transpose, unlike the
// channel tiling).
DirectSchedule width_schedule(const TargetFacts& f, int block, int rows) {
    const OutputTiling tiling{block, f.vector_lanes, rows, f.vector_lanes};
    auto apply = [tiling, f](ProductFuncs& p) {
        TileVars t;
        tile_output(p.tiled, p.extents, p.accumulators, p.v, t, tiling, p.threads,
                    p.columns ? &*p.columns : nullptr);
        const ConvVars& v = p.v;
        for (Func acc : p.accumulators) {
            acc.vectorize(v.x, f.vector_lanes).unroll(v.y).unroll(v.lane);
            acc.update()
                .reorder(v.x, v.y, v.lane, p.r.y, p.r.z, p.r.x, v.block, v.g, v.n)
                .vectorize(v.x, f.vector_lanes)
                .unroll(v.y)
                .unroll(v.lane);
            specialize_common_geometry(acc.update(), p.geometry);
        }
        // The padding strips and corners, one column at a time. A vector of
        // columns there would need a gather per tap for its clamped columns;
        // a block of channels is a vector of weights against one broadcast
        // input value instead.
        if (p.columns) {
            Func acc = p.columns->accumulator;
            acc.unroll(v.y);
            Stage update = acc.update();
            update.reorder(v.lane, v.x, v.y, p.r.x, p.r.y, p.r.z, v.block, v.g, v.n).unroll(v.y);
            if (tiling.block > 1) {
                acc.reorder_storage(v.lane, v.x, v.y, v.block, v.g, v.n).vectorize(v.lane);
                update.vectorize(v.lane);
            }
            specialize_common_geometry(update, p.geometry);
        }
    };
    // Strip tiles as high as the row tile: the row tiling's accumulators
    // are bound to that many rows, and the strip tiling asks them for as many.
    return DirectSchedule{tiling, apply, rows, true};
}

// Depthwise: one output channel per group; 8 rows of accumulators hide the
// FMA latency on every target. One vector wide: maps of 28 or 56 columns
// keep an interior at every vector width.
DirectSchedule depthwise_schedule(const TargetFacts& f) { return width_schedule(f, 1, 8); }

// Dense and grouped layers on the NCHW planes: block x rows accumulators
// plus `rows` input vectors and one broadcast weight fill the register file
// (24 + 3 + 1 of 32; 12 + 3 + 1 of 16).
DirectSchedule rows_schedule(const TargetFacts& f) {
    const int rows = 3;
    const int block = (f.vector_registers - rows - 1) / rows / 4 * 4;
    return width_schedule(f, block, rows);
}

}  // namespace

DirectSchedule direct_schedule_for(const std::string& name, const TargetFacts& facts) {
    if (name == "channels") return channels_schedule(facts);
    if (name == "width") return depthwise_schedule(facts);
    if (name == "rows") return rows_schedule(facts);
    throw std::invalid_argument("unknown direct schedule '" + name + "'");
}

}  // namespace convkit_gen
