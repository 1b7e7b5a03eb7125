// The schedule of the shared GEMM building block (ConvGenerator::blocked_product):
// register tiles of output channels x output columns, vectorized over
// channels, the reduction innermost over input channels.
#pragma once

#include <optional>
#include <vector>

#include "conv_common.h"
#include "tiling.h"

namespace convkit_gen {

// The Funcs and variables of a lowering that the product's schedule touches.
struct ProductFuncs {
    // Accumulators (x, y, lane, block, g, n) of one product, scheduled alike
    // (e.g. the interior and border variants of the direct kernel).
    std::vector<Func> accumulators;
    Func tiled;              // (x, y, m, g, n): the output, or a temporary of its extents
    OutputImageParam extents;  // the output buffer
    RDom r;       // (c, kx, ky)
    ConvVars v;
    Expr threads;
    ConvGeometry geometry;
    std::optional<ColumnStrips> columns;  // tiled apart, when the lowering has them
};

// Accumulators + weight vectors + one broadcast must fit the register file
// (Zhang et al. Eq. 2); more and LLVM spills an accumulator, halving speed.
// 2 vectors of channels x up to 12 columns (4 vectors x 6 on 4-lane targets).
OutputTiling channel_tiling(const TargetFacts& f);

// Tiles the output, computes each accumulator per tile in registers and
// specializes the common geometries. Returns the tile loop variables, for
// lowerings that stage data at a tile level.
TileVars schedule_channel_product(ProductFuncs& p, const OutputTiling& tiling, const TargetFacts& f);

}  // namespace convkit_gen
