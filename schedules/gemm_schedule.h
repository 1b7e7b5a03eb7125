// The schedule of the shared GEMM building block (ConvGenerator::blocked_product):
// register tiles of output channels x output columns, vectorized over
// channels, the reduction innermost over input channels.
#pragma once

#include <vector>

#include "conv_common.h"
#include "tiling.h"

namespace convkit_gen {

// The Funcs and variables of a lowering that the product's schedule touches.
struct ProductFuncs {
    // Accumulators (x, y, lane, block, g, n) of one product, scheduled alike.
    std::vector<Func> accumulators;
    Func tiled;              // (x, y, m, g, n): the output, or a temporary of its extents
    OutputImageParam extents;  // the output buffer
    RDom r;       // (c, kx, ky)
    ConvVars v;
    Expr threads;
    ConvGeometry geometry;
};

// Accumulators + weight vectors + one broadcast must fit the register file
// (Zhang et al. Eq. 2); more and LLVM spills an accumulator, halving speed.
// 2 vectors of channels x up to 12 columns (4 vectors x 6 on 4-lane targets).
OutputTiling channel_tiling(const TargetFacts& f);

// The other register tile, vectorized over columns (direct_rows, the kn2row
// GEMM): `rows` rows of one vector each, times the output channels this
// returns (a multiple of 4, weights broadcast). Accumulators + `rows` input
// vectors + one broadcast fill the register file (8 x 3 + 3 + 1 of 32;
// 4 x 3 + 3 + 1 of 16).
inline int row_tile_channels(const TargetFacts& f, int rows) {
    return (f.vector_registers - rows - 1) / rows / 4 * 4;
}

// Keeps a tile's accumulator in registers, vectorized over its output
// channels (lanes), every lane, row and (with unroll_x) column unrolled, the
// reduction's dimensions inside them in their order (r.x innermost: the
// input channels); specializes the common geometries.
void channel_register_tile(Func acc, const RDom& r, const ConvVars& v, const ConvGeometry& geometry,
                           const TargetFacts& f, bool unroll_x);

// Tiles the output, computes each accumulator per tile in registers and
// specializes the common geometries. Returns the tile loop variables, for
// lowerings that stage data at a tile level.
TileVars schedule_channel_product(ProductFuncs& p, const OutputTiling& tiling, const TargetFacts& f);

// A segment's accumulator (tile_output_in_segments): vectorized over its
// output channels. Where `tiles_inside` holds, its register tiles of
// `tiling` are walked inside the last dimension of the reduction
// (direct_padded: the input channel blocks), so that the weights of one
// step of it serve every tile of the segment from L1; elsewhere each tile
// runs its whole reduction in registers. Within a tile the reduction's
// other dimensions as in channel_register_tile().
void segment_register_tile(Func acc, const RDom& r, const ConvVars& v, const ConvGeometry& geometry,
                           const TargetFacts& f, const OutputTiling& tiling, const Expr& tiles_inside);

// schedule_channel_product() in segments of `columns` columns
// (tile_output_in_segments), the accumulator p.accumulators[0] per segment,
// for p.tiled's definition `stage` (itself, or one of its specializations).
TileVars schedule_segmented_product(ProductFuncs& p, Stage stage, const OutputTiling& tiling, int columns,
                                    const TargetFacts& f);

}  // namespace convkit_gen
