// Tiling shared by convkit's schedules: the output loop nest around a
// register-blocked accumulator.
#pragma once

#include "conv_common.h"

namespace convkit_gen {

// An output tile of `block` output channels x `tile_y` rows x `tile_x` columns,
// computed by one accumulator Func that lives in registers.
struct OutputTiling {
    int block;   // output channels per tile (the packed weight block B)
    int tile_x;  // output columns per tile
    int tile_y;  // output rows per tile
    int lanes;   // SIMD lanes, to vectorize the stores over x when it fits
    // Row tiles per chunk: every block of output channels computes a chunk
    // of row tiles before the next block does (1: a row tile at a time).
    // May depend on the call's geometry (an Expr; the loop splits by it).
    Expr row_tiles_per_chunk = 1;
};

// Loop variables of the tiled output, for compute_at().
struct TileVars {
    Var mo{"mo"}, mi{"mi"}, xo{"xo"}, xi{"xi"}, yo{"yo"}, yi{"yi"};
    Var yc{"yc"}, yr{"yr"};  // a chunk of row tiles, and a row tile within it
    Var go{"go"}, gi{"gi"};  // vectors of groups, and a group within one
    // The fused (n, g, channel block, row tile) loop, split into one chunk
    // per thread: `task` runs in parallel, `within` walks a chunk.
    Var task{"task"}, within{"within"};
};

// One kind of output region (region_kind.h) of a kernel that the runtime
// calls per region: its accumulator, register tile, and whether the call's
// region fits that tiling (an unchecked axis must read inside the input and
// be at least one tile long).
struct RegionTiling {
    Func accumulator;
    OutputTiling tiling;
    Expr fits;
    // Where positive, the accumulator spans the region's whole width and
    // this many rows for a block of output channels (computed once per
    // pass, register-tiled by the schedule) instead of one register tile.
    int plane_rows = 0;
    // Where positive, the accumulator spans the region's whole plane for
    // this many groups (one per vector lane), computed once per vector of
    // groups.
    int group_lanes = 0;
    // Where positive, the region is walked this many groups' planes at a
    // time (register tiles along x of each), parallel over chunks of them.
    int group_planes = 0;
    // Where true, the region is walked one group's plane at a time (parallel
    // over chunks of groups and images), its row tiles and column tiles in
    // loops of their own inside; the region is at least a tile wide.
    bool plane_loops = false;
};

// Tiles `out` (x, y, m, g, n) as n > g > row-tile > m-block > column-tile
// (the blocks inside the row tiles: every block reuses a row tile's input
// rows from L2, where blocks outside re-read the whole input per block; with
// tiling.row_tiles_per_chunk, n > g > chunk > m-block > row-tile > column-tile) and
// runs the outer loops in `threads` contiguous parallel chunks, so a run uses
// exactly the caller's thread count and splits work independently of it
// otherwise. Along each axis at least one tile long, ShiftInwards (clean
// stores, every computed column inside the region); shorter axes use
// GuardWithIf. `acc` is computed per tile with a constant extent either way
// (past the edge of a short axis it must read safely: zero padding).
// `out` covers the region of the output buffer `buf` (out is the output
// itself, or a temporary of the same extents).
void tile_output(Func out, const OutputImageParam& buf, const std::vector<Func>& accumulators,
                 const ConvVars& v, const TileVars& t, const OutputTiling& tiling,
                 const Expr& threads);

// Tiles `out` like tile_output(), but in segments of tiling.tile_y rows x
// `columns` columns (a multiple of tiling.tile_x) per block of output
// channels, `acc` computed once per segment on the stack (its update walks
// the segment's register tiles: segment_register_tile() in
// gemm_schedule.h). Computes whole tiles: the region's columns, rounded up
// to whole register tiles where it is narrower than a segment, and at
// least a tile of rows. `stage` is `out`'s definition or one of its
// specializations (`acc` is computed within it only).
void tile_output_in_segments(Func out, Stage stage, const OutputImageParam& buf, Func acc, const ConvVars& v,
                             const TileVars& t, const OutputTiling& tiling, int columns, const Expr& threads);

// Tiles `out` once per region kind: where `region` is kind k and the region
// fits it, with kind k's tiling, computing only kind k's accumulator (the
// output's select over the kinds is specialized away, so each accumulator
// is bounded by its own tiling alone). A region that does not fit the kind
// it names fails with an error before anything is computed (with Halide's
// asserts compiled out, as on AVX-512, it computes and writes nothing).
// `kinds` is indexed by RegionKind.
void tile_regions(Func out, const OutputImageParam& buf, const std::vector<RegionTiling>& kinds,
                  const Expr& region, const ConvVars& v, const TileVars& t, const Expr& threads);

// Specializes an accumulator's update for unit dilation with stride 1 and 2,
// and within those for 1x1 and 3x3 kernels (most layers): constant strides
// give dense or simply strided vector loads and constant address steps,
// constant kernel sizes constant tap loops. Call after the update is fully scheduled:
// specializations copy the schedule as it is.
void specialize_common_geometry(Stage update, const ConvGeometry& geometry);

}  // namespace convkit_gen
