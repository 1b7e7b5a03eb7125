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

void segment_register_tile(Func acc, const RDom& r, const ConvVars& v, const ConvGeometry& geometry,
                           const TargetFacts& f, const OutputTiling& tiling, const Expr& tiles_inside) {
    acc.reorder_storage(v.lane, v.x, v.y, v.block, v.g, v.n).vectorize(v.lane, f.vector_lanes).unroll(v.lane);
    Var tiles("segment_tiles"), columns("segment_columns");
    Stage update = acc.update();
    // Whole tiles: a segment narrower than `columns` computes its last
    // tile's columns past the region too (guarded instead, Halide's loop
    // partitioning left every tile guarded, the accumulators in memory:
    // vgg_conv4_1 2x slower).
    update.split(v.x, tiles, columns, tiling.tile_x, TailStrategy::RoundUp)
        .vectorize(v.lane, f.vector_lanes)
        .unroll(v.lane)
        .unroll(columns)
        .unroll(v.y);
    // A register tile's reduction inside the tiles, then either the
    // reduction's last dimension outside the tiles (where `tiles_inside`),
    // or the whole reduction inside each tile.
    std::vector<VarOrRVar> tile = {v.lane, columns, v.y};
    for (int i = 0; i + 1 < r.dimensions(); ++i) tile.push_back(r[i]);
    const RVar last = r[r.dimensions() - 1];
    std::vector<VarOrRVar> across = tile, within = tile;
    across.insert(across.end(), {tiles, last, v.block, v.g, v.n});
    within.insert(within.end(), {last, tiles, v.block, v.g, v.n});
    Stage inside = update.specialize(tiles_inside);
    inside.reorder(across);
    specialize_common_geometry(inside, geometry);
    update.reorder(within);
    specialize_common_geometry(update, geometry);
}

TileVars schedule_channel_product(ProductFuncs& p, const OutputTiling& tiling, const TargetFacts& f) {
    TileVars t;
    tile_output(p.tiled, p.extents, p.accumulators, p.v, t, tiling, p.threads);
    for (Func acc : p.accumulators) channel_register_tile(acc, p.r, p.v, p.geometry, f, true);
    return t;
}

TileVars schedule_segmented_product(ProductFuncs& p, Stage stage, const OutputTiling& tiling, int columns,
                                    const TargetFacts& f) {
    TileVars t;
    tile_output_in_segments(p.tiled, stage, p.extents, p.accumulators.at(0), p.v, t, tiling, columns, p.threads);
    // The tiles inside the channel blocks only where a block's reduction
    // is long (not 1x1: there each step of it reloads and stores a tile's
    // accumulators for 16 FMAs each) and the segment holds 4 tiles or more
    // (fewer share too little: maps of 13 and 14 columns 2-8% slower).
    // Measured on AVX-512, 2 interleaved rounds, medians of 5.
    const Expr tiles_inside = !p.geometry.square_kernel(1) && p.extents.dim(0).extent() >= 4 * tiling.tile_x;
    segment_register_tile(p.accumulators.at(0), p.r, p.v, p.geometry, f, tiling, tiles_inside);
    return t;
}

}  // namespace convkit_gen
