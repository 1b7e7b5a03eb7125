#include "tiling.h"

namespace convkit_gen {
namespace {

Expr ceil_div(const Expr& a, int b) { return (a + (b - 1)) / b; }

void tile_stage(Stage s, const ConvVars& v, const TileVars& t, const OutputTiling& tiling,
                TailStrategy tail, const Expr& outer_extent, const Expr& threads) {
    Var rows_mblocks("rows_mblocks"), with_groups("with_groups"), outer("outer");
    s.split(v.m, t.mo, t.mi, tiling.block, TailStrategy::GuardWithIf)
        .split(v.x, t.xo, t.xi, tiling.tile_x, tail)
        .split(v.y, t.yo, t.yi, tiling.tile_y, tail)
        .reorder(t.xi, t.yi, t.mi, t.xo, t.yo, t.mo, v.g, v.n)
        .fuse(t.yo, t.mo, rows_mblocks)
        .fuse(rows_mblocks, v.g, with_groups)
        .fuse(with_groups, v.n, outer);
    Expr workers = max(1, threads);
    s.split(outer, t.task, t.within, max(1, (outer_extent + workers - 1) / workers),
            TailStrategy::GuardWithIf)
        .parallel(t.task);
    if (tiling.tile_x % tiling.lanes == 0 && tail == TailStrategy::ShiftInwards) {
        s.vectorize(t.xi, tiling.lanes);
    }
    // mi stays a loop: with GuardWithIf its bound becomes min(block, Mg - mo*block),
    // where unrolling would turn it into per-channel guards.
    s.unroll(t.yi);
}

}  // namespace

void tile_output(Func out, const OutputImageParam& buf, const std::vector<Func>& accumulators,
                 const ConvVars& v, const TileVars& t, const OutputTiling& tiling,
                 const Expr& threads) {
    Expr width = buf.dim(0).extent(), height = buf.dim(1).extent();
    Expr outer_extent = buf.dim(4).extent() * buf.dim(3).extent() *
                        ceil_div(buf.dim(2).extent(), tiling.block) *
                        ceil_div(height, tiling.tile_y);
    Expr fits = width >= tiling.tile_x && height >= tiling.tile_y;
    tile_stage(out.specialize(fits), v, t, tiling, TailStrategy::ShiftInwards, outer_extent,
               threads);
    tile_stage(out, v, t, tiling, TailStrategy::GuardWithIf, outer_extent, threads);
    for (Func acc : accumulators) {
        acc.compute_at(out, t.xo)
            .bound_extent(v.lane, tiling.block)
            .bound_extent(v.block, 1)
            .bound_extent(v.x, tiling.tile_x)
            .bound_extent(v.y, tiling.tile_y);
    }
}

void specialize_common_geometry(Stage update, const ConvGeometry& geometry) {
    for (int stride : {1, 2}) {
        for (int k : {1, 3}) update.specialize(geometry.dense_with_stride(stride) && geometry.square_kernel(k));
        update.specialize(geometry.dense_with_stride(stride));
    }
}

}  // namespace convkit_gen
