// Schedules for the direct convolution (generators/direct_generator.cpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gemm_schedule.h"

namespace convkit_gen {

// What the direct kernel's schedule touches: one accumulator per region
// kind (RegionTiling, indexed by RegionKind; kStaged only where the schedule
// has it), the output and the loop variables.
struct DirectFuncs {
    std::vector<RegionTiling> kinds;
    Func output;
    OutputImageParam extents;
    RDom r;  // (c, kx, ky)
    ConvVars v;
    Expr threads, region;
    ConvGeometry geometry;
    Func staged_input;  // the padded input the staged kind copies (with a staged tiling)
    // The copy's columns and rows: what the register tiles read, also where
    // the region is narrower than a tile (one row tile's rows, or the whole
    // plane's).
    Expr staged_columns, staged_rows;
    // The lanes kind's zero-padded plane copy, and the weights and bias it
    // reads, as wrappers its schedule stages per vector of groups (with a
    // lanes tiling).
    Func lanes_input, lanes_weights, lanes_bias;
    Func plane_columns;  // whether a flat output's kernel column reads inside its row
    Expr input_row_stride;  // the input's row stride (the masked kinds' row length)
};

// Halide's maximum_stack_allocation_bytes: a "stack" allocation larger than
// this goes to the heap, where it would count as workspace.
constexpr int kMaxStackAllocationBytes = 16384;

// The staged kind (region_kind.h): the output tile, and the bound of the
// zero-padded input copy (columns x rows, on the stack). With `channels` 0
// the copy is one row tile's input rows of the group's single input channel
// (depthwise). Otherwise the plane goes `rows` output rows at a time: their
// accumulators (a block of channels) stay on the stack across the input
// channels, which are copied `channels` at a time. (Halide puts a "stack"
// allocation over 16 KB on the heap: the bounds keep each one under it.)
struct StagedTiling {
    OutputTiling tiling;
    int max_columns, max_rows;
    int channels = 0;
    int rows = 0;
};

// The lanes kind (region_kind.h): `groups` groups per vector, one per lane,
// over the whole plane. The zero-padded copy of the plane (at most
// max_columns x max_rows), the plane's accumulators and the kernel taps
// are each held for a vector of groups, groups innermost, on the stack.
struct LanesTiling {
    int groups;
    int max_columns, max_rows;
};

// The plane kind (region_kind.h): one register tile of `tiling` at a time
// along the flat rows of kPlaneGroups planes' outputs, read from the input
// itself; its column masks hold max_elements flat outputs (on the stack).
struct PlaneTiling {
    OutputTiling tiling;
    int max_elements;
};

struct DirectSchedule {
    // The register tile of each region kind:
    OutputTiling interior;  // no padding checks
    OutputTiling band;      // rows checked: the bands above and below the interior
    OutputTiling strip;     // both checked: the full-height strips left and right of them
    OutputTiling border;    // both checked: maps without an interior, regions that fit no other
    std::optional<StagedTiling> staged;  // the schedules that have the staged kind
    std::function<void(const DirectFuncs&)> apply;
    std::optional<LanesTiling> lanes = std::nullopt;  // the schedules that have the lanes kind
    // Where positive, the tiles are this many columns wide, one vector of
    // each output row: a 1x1, stride-1, unpadded layer whose planes hold a
    // whole number of such rows runs as planes of exactly this width, so
    // that no vector is partly past a row's end (runtime/src/regions.h).
    int flat_columns = 0;
    std::optional<PlaneTiling> plane = std::nullopt;  // the schedules that have the plane kind
    // The schedules that have the masked kinds: kMasked's register tile
    // (its rows checked); kMaskedRows takes the interior's.
    std::optional<OutputTiling> masked = std::nullopt;
};

// "channels": vectorized over output channels, a register tile of B channels
//             x a few output columns; for dense and grouped layers.
// "width":    vectorized over output columns, B = 1; for depthwise layers.
// "rows":     vectorized over output columns, a block of output channels x
//             a few rows per tile; vector loads and stores along the NCHW
//             rows, for dense and grouped layers on wide maps.
DirectSchedule direct_schedule_for(const std::string& name, const TargetFacts& facts);

// Register tiles per segment of direct_padded's rows
// (tile_output_in_segments): a segment's accumulators (32 channels x 7
// columns x 2 rows per tile on AVX-512) stay on the stack while the
// reduction walks the input channel blocks, so each block's weights (16
// channels x the taps x 32) are read from L1 by every tile of the segment,
// not from L2 once per tile. 8 tiles: 14 KB of accumulators on AVX-512,
// within Halide's 16 KB for stack allocations.
constexpr int kPaddedSegmentTiles = 8;

// The register tile of `direct`'s interior (and of direct_padded's whole
// plane): channel_tiling(), or 7 columns x 2 rows where 14 pixels fit.
OutputTiling direct_channel_tiling(const TargetFacts& f);

// direct_padded's register tiles (and those of direct's whole-plane staged
// kind) for maps exactly as wide as one of kPaddedRowWidths (AlexNet's
// 13x13 conv3-5, ResNet's 7x7 layer 4): one whole output row per tile,
// where direct_channel_tiling()'s 7x2 tile computes 14 columns x 14 rows of
// a 13x13 map (16% more than it holds) and 8 rows of a 7x7 one (14% more). Only the widths whose row fits the
// register file (AVX-512; none on AVX2 and NEON, 6 pixels of 2 or 4
// vectors).
constexpr int kPaddedRowWidths[] = {13, 7};
std::vector<OutputTiling> padded_row_tilings(const TargetFacts& f);

// direct_padded's zero-padded, channel-blocked input copy (ci, x, y, cb,
// g, n): computed once per call, before the products, its `blocks` blocks
// of all groups in `threads` parallel chunks; vectorized over a block's
// channels where blocks are `block` channels (`full_blocks`).
void schedule_blocked_copy(Func copy, const Expr& full_blocks, int block, const Expr& blocks,
                           const Expr& threads);

}  // namespace convkit_gen
