#include "tiling.h"

namespace convkit_gen {
namespace {

Expr ceil_div(const Expr& a, const Expr& b) { return (a + (b - 1)) / b; }

// Runs the loop `fused` (of extent `extent`) in `threads` contiguous
// parallel chunks (`task` in parallel, `within` walking a chunk).
void parallel_chunks(Stage s, const TileVars& t, const Var& fused, const Expr& extent, const Expr& threads) {
    Expr workers = max(1, threads);
    s.split(fused, t.task, t.within, max(1, (extent + workers - 1) / workers), TailStrategy::GuardWithIf)
        .parallel(t.task);
}

// Fuses the loops outside a tile (`inner` within `outer`, then g and n) and
// runs them in parallel chunks.
void parallel_outer_loops(Stage s, const ConvVars& v, const TileVars& t, const Var& inner, const Var& outer,
                          const Expr& extent, const Expr& threads) {
    Var rows_mblocks("rows_mblocks"), with_groups("with_groups"), fused("outer");
    s.fuse(inner, outer, rows_mblocks).fuse(rows_mblocks, v.g, with_groups).fuse(with_groups, v.n, fused);
    parallel_chunks(s, t, fused, extent, threads);
}

void tile_stage(Stage s, const ConvVars& v, const TileVars& t, const OutputTiling& tiling,
                TailStrategy tail_x, TailStrategy tail_y, const Expr& outer_extent,
                const Expr& threads) {
    // A vector tile wider than its region stores with masks (Predicate), not
    // a scalar loop of guarded stores (a 7x7 depthwise plane: 49 per channel).
    if (tiling.tile_x == tiling.lanes && tail_x == TailStrategy::GuardWithIf) tail_x = TailStrategy::Predicate;
    s.split(v.m, t.mo, t.mi, tiling.block, TailStrategy::GuardWithIf)
        .split(v.x, t.xo, t.xi, tiling.tile_x, tail_x)
        .split(v.y, t.yo, t.yi, tiling.tile_y, tail_y);
    if (!Internal::is_const_one(tiling.row_tiles_per_chunk)) {
        s.split(t.yo, t.yc, t.yr, tiling.row_tiles_per_chunk, TailStrategy::GuardWithIf)
            .reorder(t.xi, t.yi, t.mi, t.xo, t.yr, t.mo, t.yc, v.g, v.n);
        parallel_outer_loops(s, v, t, t.mo, t.yc, outer_extent, threads);
    } else {
        s.reorder(t.xi, t.yi, t.mi, t.xo, t.mo, t.yo, v.g, v.n);
        parallel_outer_loops(s, v, t, t.mo, t.yo, outer_extent, threads);
    }
    if (tiling.tile_x == tiling.lanes && tail_x != TailStrategy::ShiftInwards) {
        s.vectorize(t.xi);  // masked stores (the split's Predicate, above)
    } else if (tiling.tile_x % tiling.lanes == 0 && tail_x == TailStrategy::ShiftInwards) {
        s.vectorize(t.xi, tiling.lanes);
    } else if (tail_x == TailStrategy::ShiftInwards) {
        // Scalar stores, unrolled, so that the loop around them does not
        // re-select the accumulator per element. The scalar stores remain the
        // cost where the reduction is short (63% of direct's time on
        // vgg_conv1_1, C=3, profiled; unrolling did not change its time).
        s.unroll(t.xi);
    }
    // mi stays a loop: with GuardWithIf its bound becomes min(block, Mg - mo*block),
    // where unrolling would turn it into per-channel guards.
    s.unroll(t.yi);
}

// The fused outer loop's extent under `tiling`.
Expr outer_extent(const OutputImageParam& buf, const OutputTiling& tiling) {
    return buf.dim(4).extent() * buf.dim(3).extent() * ceil_div(buf.dim(2).extent(), tiling.block) *
           ceil_div(ceil_div(buf.dim(1).extent(), tiling.tile_y), tiling.row_tiles_per_chunk);
}

// Computes `acc` per output tile at a constant extent, even where the tile
// is guarded at the region's edge. An axis one element long needs no bound
// (its split is exact).
void compute_per_tile(Func acc, const ConvVars& v, const TileVars& t, Func out,
                      const OutputTiling& tiling) {
    // On the stack whatever its size: a tile's accumulator lives in registers,
    // and a heap allocation per tile would count as workspace.
    acc.compute_at(out, t.xo)
        .store_in(MemoryType::Stack)
        .bound_extent(v.lane, tiling.block)
        .bound_extent(v.block, 1);
    if (tiling.tile_x > 1) acc.bound_extent(v.x, tiling.tile_x);
    if (tiling.tile_y > 1) acc.bound_extent(v.y, tiling.tile_y);
}

// Tiles one stage of `out` (the output, or one of its specializations):
// ShiftInwards along axes at least one tile long, GuardWithIf along shorter
// ones (where `acc` computes a whole tile anyway: past the region's edge it
// must read safely, e.g. with padding checks).
void tile_stage_variants(Func out, Stage stage, const OutputImageParam& buf,
                         const std::vector<Func>& accumulators, const ConvVars& v,
                         const TileVars& t, const OutputTiling& tiling, const Expr& threads) {
    constexpr TailStrategy shift = TailStrategy::ShiftInwards, guard = TailStrategy::GuardWithIf;
    Expr width = buf.dim(0).extent(), height = buf.dim(1).extent();
    const Expr extent = outer_extent(buf, tiling);
    Expr wide = width >= tiling.tile_x, tall = height >= tiling.tile_y;
    tile_stage(stage.specialize(wide && tall), v, t, tiling, shift, shift, extent, threads);
    // Wide but short regions (a padding row band under a tile several rows
    // high) keep every computed column inside the region.
    if (tiling.tile_y > 1) tile_stage(stage.specialize(wide), v, t, tiling, shift, guard, extent, threads);
    tile_stage(stage, v, t, tiling, guard, guard, extent, threads);
    for (Func acc : accumulators) compute_per_tile(acc, v, t, out, tiling);
}

// Tiles one stage of `out` in passes of `rows` rows per block of output
// channels, for an accumulator that covers a pass (computed once per pass;
// the stores walk it along the NCHW rows).
void tile_stage_by_passes(Func out, Stage s, const OutputImageParam& buf, Func acc, const ConvVars& v,
                          const TileVars& t, const OutputTiling& tiling, int rows, const Expr& threads) {
    s.split(v.m, t.mo, t.mi, tiling.block, TailStrategy::GuardWithIf)
        .split(v.y, t.yo, t.yi, rows, TailStrategy::GuardWithIf)
        .reorder(v.x, t.yi, t.mi, t.yo, t.mo, v.g, v.n);
    const Expr passes = buf.dim(4).extent() * buf.dim(3).extent() * ceil_div(buf.dim(2).extent(), tiling.block) *
                        ceil_div(buf.dim(1).extent(), rows);
    parallel_outer_loops(s, v, t, t.yo, t.mo, passes, threads);
    acc.compute_at(out, t.within).store_in(MemoryType::Stack).bound_extent(v.lane, tiling.block).bound_extent(v.block, 1);
}

// Tiles one stage of `out` a vector of `groups` groups at a time (at least
// that many: the last vector shifts inwards), for an accumulator that covers
// the plane of each group of the vector (computed once per vector). The
// stores walk the NCHW rows of each group in turn.
void tile_stage_by_groups(Func out, Stage s, const OutputImageParam& buf, Func acc, const ConvVars& v,
                          const TileVars& t, const OutputTiling& tiling, int groups, const Expr& threads) {
    s.split(v.g, t.go, t.gi, groups, TailStrategy::ShiftInwards)
        .reorder(t.gi, v.x, v.y, t.go, v.m, v.n)
        .vectorize(t.gi);
    Var vectors_channels("vectors_channels"), fused("outer");
    s.fuse(t.go, v.m, vectors_channels).fuse(vectors_channels, v.n, fused);
    const Expr vectors = buf.dim(4).extent() * buf.dim(2).extent() * ceil_div(buf.dim(3).extent(), groups);
    parallel_chunks(s, t, fused, vectors, threads);
    acc.compute_at(out, t.within).store_in(MemoryType::Stack);
}

// Tiles one stage of `out` `groups` groups' planes at a time, the register
// tiles along x (one tile of each of those groups' flat rows at once: their
// FMA chains interleave, where one plane's tile alone waited on the FMA
// latency), and runs the vectors of groups in `threads` contiguous parallel
// chunks (t.within walks a chunk's). Unlike the fused outer loop of the
// other tilings, whose index is divided back into channel block, group and
// image on every iteration (three integer divisions, a large share of a
// small plane's time), each loop keeps its own index. The region's plane
// is at least one tile long and it has at least `groups` groups
// (ShiftInwards along both).
void tile_stage_by_group_planes(Func out, Stage s, const OutputImageParam& buf, Func acc, const ConvVars& v,
                                const TileVars& t, const OutputTiling& tiling, int groups, const Expr& threads) {
    constexpr TailStrategy shift = TailStrategy::ShiftInwards;
    s.split(v.m, t.mo, t.mi, tiling.block, TailStrategy::GuardWithIf)
        .split(v.x, t.xo, t.xi, tiling.tile_x, shift)
        .split(v.g, t.go, t.gi, groups, shift)
        .reorder(t.xi, v.y, t.mi, t.gi, t.xo, t.mo, t.go, v.n)
        .vectorize(t.xi, tiling.lanes);
    parallel_chunks(s, t, t.go, ceil_div(buf.dim(3).extent(), groups), threads);
    compute_per_tile(acc, v, t, out, tiling);
    acc.bound_extent(v.g, groups);
}

// Tiles one stage of `out` a group's plane at a time: the row and column
// tiles in loops of their own, the groups and images fused and run in
// `threads` contiguous parallel chunks. The fused loop of the other
// tilings divides its index back into row tile, channel block, group and
// image on every tile (integer divisions and address arithmetic, a third of
// the masked depthwise kind's time on 56x56 planes); here that happens
// once per plane. ShiftInwards along x (the region is at least a tile
// wide) and along y where a tile of rows is there.
void tile_stage_by_plane_loops(Func out, Stage s, const OutputImageParam& buf, Func acc, const ConvVars& v,
                               const TileVars& t, const OutputTiling& tiling, const Expr& threads) {
    constexpr TailStrategy shift = TailStrategy::ShiftInwards, guard = TailStrategy::GuardWithIf;
    auto tile = [&](Stage stage, TailStrategy tail_y) {
        Var planes("planes");
        stage.split(v.m, t.mo, t.mi, tiling.block, guard)
            .split(v.x, t.xo, t.xi, tiling.tile_x, shift)
            .split(v.y, t.yo, t.yi, tiling.tile_y, tail_y)
            .reorder(t.xi, t.yi, t.mi, t.xo, t.yo, t.mo, v.g, v.n)
            .vectorize(t.xi, tiling.lanes)
            .unroll(t.yi)
            .fuse(v.g, v.n, planes);
        parallel_chunks(stage, t, planes, buf.dim(3).extent() * buf.dim(4).extent(), threads);
    };
    tile(s.specialize(buf.dim(1).extent() >= tiling.tile_y), shift);
    tile(s, guard);
    compute_per_tile(acc, v, t, out, tiling);
}

}  // namespace

void tile_output(Func out, const OutputImageParam& buf, const std::vector<Func>& accumulators,
                 const ConvVars& v, const TileVars& t, const OutputTiling& tiling,
                 const Expr& threads) {
    tile_stage_variants(out, out, buf, accumulators, v, t, tiling, threads);
}

void tile_output_in_segments(Func out, Stage stage, const OutputImageParam& buf, Func acc, const ConvVars& v,
                             const TileVars& t, const OutputTiling& tiling, int columns, const Expr& threads) {
    // ShiftInwards along each axis at least a segment long; along a shorter
    // one a single guarded segment.
    const Expr extent = outer_extent(buf, tiling);
    const TailStrategy store_tail = tiling.lanes >= 8 ? TailStrategy::Predicate : TailStrategy::GuardWithIf;
    constexpr TailStrategy shift = TailStrategy::ShiftInwards, guard = TailStrategy::GuardWithIf;
    auto tile = [&](Stage s, TailStrategy tail_x, TailStrategy tail_y) {
        s.split(v.m, t.mo, t.mi, tiling.block, TailStrategy::GuardWithIf)
            .split(v.x, t.xo, t.xi, columns, tail_x)
            .split(v.y, t.yo, t.yi, tiling.tile_y, tail_y)
            .reorder(t.xi, t.yi, t.mi, t.xo, t.mo, t.yo, v.g, v.n)
            .vectorize(t.xi, tiling.lanes, store_tail);
        parallel_outer_loops(s, v, t, t.mo, t.yo, extent, threads);
    };
    Expr wide = buf.dim(0).extent() >= columns, tall = buf.dim(1).extent() >= tiling.tile_y;
    tile(stage.specialize(wide && tall), shift, shift);
    tile(stage.specialize(tall), guard, shift);
    tile(stage.specialize(wide), shift, guard);
    tile(stage, guard, guard);
    acc.compute_at(out, t.xo)
        .store_in(MemoryType::Stack)
        .bound_extent(v.lane, tiling.block)
        .bound_extent(v.block, 1)
        .bound_extent(v.y, tiling.tile_y)
        .bound_storage(v.x, columns);
}

void tile_regions(Func out, const OutputImageParam& buf, const std::vector<RegionTiling>& kinds,
                  const Expr& region, const ConvVars& v, const TileVars& t, const Expr& threads) {
    for (size_t kind = 0; kind < kinds.size(); ++kind) {
        const RegionTiling& k = kinds[kind];
        // region == kind alone: Halide substitutes it into the output's
        // select, leaving kind k's accumulator only.
        Stage named = out.specialize(region == int(kind));
        const bool always_fits = Internal::is_const_one(k.fits);
        Stage fitting = always_fits ? named : named.specialize(k.fits);
        if (k.plane_loops) {
            tile_stage_by_plane_loops(out, fitting, buf, k.accumulator, v, t, k.tiling, threads);
        } else if (k.group_planes > 0) {
            tile_stage_by_group_planes(out, fitting, buf, k.accumulator, v, t, k.tiling, k.group_planes, threads);
        } else if (k.group_lanes > 0) {
            tile_stage_by_groups(out, fitting, buf, k.accumulator, v, t, k.tiling, k.group_lanes, threads);
        } else if (k.plane_rows > 0) {
            tile_stage_by_passes(out, fitting, buf, k.accumulator, v, t, k.tiling, k.plane_rows, threads);
        } else {
            tile_stage_variants(out, fitting, buf, {k.accumulator}, v, t, k.tiling, threads);
        }
        if (!always_fits) named.specialize_fail("convkit: the output region does not fit the region kind the call names");
    }
    out.specialize_fail("convkit: unknown region kind");
}

void specialize_common_geometry(Stage update, const ConvGeometry& geometry) {
    for (int stride : {1, 2}) {
        for (int k : {1, 3}) update.specialize(geometry.dense_with_stride(stride) && geometry.square_kernel(k));
        update.specialize(geometry.dense_with_stride(stride));
    }
}

}  // namespace convkit_gen
