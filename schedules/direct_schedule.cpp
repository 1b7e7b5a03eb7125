#include "direct_schedule.h"

#include <algorithm>
#include <map>

#include "region_kind.h"

namespace convkit_gen {
namespace {

using convkit_abi::kBand;
using convkit_abi::kBorder;
using convkit_abi::kInterior;
using convkit_abi::kLanes;
using convkit_abi::kMasked;
using convkit_abi::kMaskedRows;
using convkit_abi::kPlane;
using convkit_abi::kPlaneMaxKernelSize;
using convkit_abi::kStaged;
using convkit_abi::kStrip;

// Row tiles each block of output channels computes before the next block
// (OutputTiling::row_tiles_per_chunk). One row tile at a time, every block
// writes a tile's few rows into each of its channels' planes: on 1x1
// layers, whose tiles are short, those scattered write bursts over an
// output larger than L2 cost 5-13% (r50_l1_1x1_64to256 1.13x faster with
// chunks of 8, mbv2_b2_expand 1.10x; 2 interleaved rounds, medians of 5-9).
// The chunk's input rows must stay in L2 for the next block: chunks of 16
// made r50_l2_1x1_512to128 0.8x as fast, and the blocks outermost (no
// reuse at all) 0.5-0.7x on 256to64 and 512to128.
constexpr int kRowTilesPerChunk = 8;

// Input row lengths the unchecked masked kind specializes on.
constexpr int kMaskedRowLengths[] = {56, 112};

// d's region kinds, the interior in chunks of kRowTilesPerChunk row tiles
// where the kernel is 1x1. Not on larger kernels: their tiles are longer
// (9x the reduction per store on 3x3) and the chunks cost `direct` 4-7%
// on 3x3 layers and gained nothing.
std::vector<RegionTiling> chunked_on_1x1(const DirectFuncs& d) {
    std::vector<RegionTiling> kinds = d.kinds;
    kinds[kInterior].tiling.row_tiles_per_chunk = select(d.geometry.square_kernel(1), kRowTilesPerChunk, 1);
    return kinds;
}

// The zeros and the image's columns of a zero_padded_copy() are dense
// vectors; the tails are predicated (masked) where the target has masked
// loads and stores.
void vectorize_copy(Func copy, const TargetFacts& f) {
    const TailStrategy tail = f.vector_lanes >= 8 ? TailStrategy::Predicate : TailStrategy::GuardWithIf;
    copy.vectorize(copy.args()[0], f.vector_lanes, tail);
    const RVar columns(copy.update().get_schedule().rvars()[0].var);
    copy.update().vectorize(columns, f.vector_lanes, tail);
}

// The staged copy, computed at `at` into a constant-size stack buffer of
// `staged`'s bound (`channels` input channels; 1 for the depthwise copy).
// Computed over all that the register tiles read, not only what the
// region's outputs need: a tile wider or taller than the region (a 7x7 map
// under a 16x8 tile) otherwise reads uninitialized stack in its discarded
// lanes, and denormal garbage there made the 7x7 layer 20x slower (found
// with a stack pre-filled with denormals).
void stage_copy(const DirectFuncs& d, const StagedTiling& staged, const LoopLevel& at, const TargetFacts& f) {
    Func copy = d.staged_input;
    const std::vector<Var> args = copy.args();  // (x, y, c, g, n)
    copy.compute_at(at)
        .store_in(MemoryType::Stack)
        .bound_extent(args[0], d.staged_columns)
        .bound_extent(args[1], d.staged_rows)
        .bound_storage(args[0], staged.max_columns)
        .bound_storage(args[1], staged.max_rows)
        .bound_storage(args[2], std::max(staged.channels, 1));
    for (int i : {3, 4}) copy.bound_storage(args[i], 1);
    vectorize_copy(copy, f);
}

// Specializes `update` for unit dilation, strides 1 and 2 and each square
// kernel size in `sizes`, with the kernel taps unrolled.
void unroll_taps(Stage update, const DirectFuncs& d, std::initializer_list<int> sizes) {
    for (int stride : {1, 2}) {
        for (int k : sizes) {
            update.specialize(d.geometry.dense_with_stride(stride) && d.geometry.square_kernel(k))
                .unroll(d.r.y)
                .unroll(d.r.z);
        }
    }
}

// Computes `f` at `at` into a stack buffer for one vector of groups: its
// argument `group` stored innermost and vectorized, the others in their
// order, each bounded by `bounds` (argument index -> storage extent; an
// argument not named there holds one element).
void stage_groups_innermost(Func f, int group, const std::map<int, int>& bounds, int groups,
                            const LoopLevel& at) {
    const std::vector<Var> args = f.args();
    std::vector<Var> order = {args[size_t(group)]};
    for (size_t i = 0; i < args.size(); ++i) {
        if (int(i) == group) continue;
        order.push_back(args[i]);
        const auto bound = bounds.find(int(i));
        f.bound_storage(args[i], bound == bounds.end() ? 1 : bound->second);
    }
    std::vector<VarOrRVar> loops(order.begin(), order.end());
    f.compute_at(at).store_in(MemoryType::Stack).reorder_storage(order).bound_extent(order[0], groups);
    f.reorder(loops).vectorize(order[0]);
}

// The lanes kind: the output stage computes the accumulator once per
// vector of groups (tile_regions); here the accumulator, the plane's copy,
// and the weights and bias it reads are each stored groups innermost, on the
// stack, and vectorized over the groups. The copy's loads and the output's
// stores move one group's element at a time (the groups' planes lie apart
// in NCHW); every tap in between is a vector FMA with no padding check.
void stage_lanes(const DirectFuncs& d, const LanesTiling& l, const TileVars& t) {
    const ConvVars& v = d.v;
    Func acc = d.kinds[kLanes].accumulator;
    acc.reorder_storage(v.g, v.x, v.y, v.lane, v.block, v.n)
        .bound_extent(v.g, l.groups)
        .bound_storage(v.x, l.max_columns)
        .bound_storage(v.y, l.max_rows);
    for (const Var& one : {v.lane, v.block, v.n}) acc.bound_storage(one, 1);
    acc.vectorize(v.g);
    acc.update().reorder(v.g, d.r.y, d.r.z, d.r.x, v.x, v.y, v.lane, v.block, v.n).vectorize(v.g);
    // The taps of 3x3 and 5x5 kernels unrolled: a pixel's sum then stays in
    // a register, its taps read at constant offsets.
    unroll_taps(acc.update(), d, {3, 5});
    specialize_common_geometry(acc.update(), d.geometry);

    const LoopLevel at(d.output, t.within);
    // copy (x, y, c, g, n), weights (lane, c, kx, ky, block, g), bias (lane, block, g)
    stage_groups_innermost(d.lanes_input, 3, {{0, l.max_columns}, {1, l.max_rows}}, l.groups, at);
    stage_groups_innermost(d.lanes_weights, 5, {{2, l.max_columns}, {3, l.max_rows}}, l.groups, at);
    stage_groups_innermost(d.lanes_bias, 2, {}, l.groups, at);
    Func copy = d.lanes_input;
    const std::vector<Var> a = copy.args();
    const RVar columns(copy.update().get_schedule().rvars()[0].var);
    copy.update().reorder(a[3], columns, a[1], a[2], a[4]).vectorize(a[3]);
}

// The plane kind's column masks, once per parallel task (a modulo per
// vector in the taps cost 14x14 and 28x28 planes 1.2-1.3x).
void stage_plane_columns(const DirectFuncs& d, const TileVars& t, int max_elements, const TargetFacts& f) {
    Func inside = d.plane_columns;
    const std::vector<Var> m = inside.args();  // (i, kx)
    const TailStrategy tail = f.vector_lanes >= 8 ? TailStrategy::Predicate : TailStrategy::GuardWithIf;
    inside.compute_at(d.output, t.task)
        .store_in(MemoryType::Stack)
        .bound_storage(m[0], max_elements)
        .bound_storage(m[1], kPlaneMaxKernelSize)
        .vectorize(m[0], f.vector_lanes, tail);
}

// The plane kind's accumulator: a register tile of whole vectors of the
// flat row of outputs of kPlaneGroups groups (tile_regions computes it per
// tile), unrolled, so that each tap's loads and weight broadcasts feed 4
// independent FMA chains per vector. The taps stay a loop: unrolled, LLVM
// hoisted their 72 masked loads and spilled the accumulators to the stack
// (mbv2_b16_dw3x3_960_7x7 0.042 -> 0.034 ms rolled, 28x28 and 14x14 planes
// 1.1x faster; 2 runs each, 2026-12-07).
void plane_register_tile(const DirectFuncs& d, const TargetFacts& f) {
    const ConvVars& v = d.v;
    Func acc = d.kinds[kPlane].accumulator;
    Var vectors("flat_vectors"), lanes("flat_lanes");
    acc.vectorize(v.x, f.vector_lanes).unroll(v.y).unroll(v.lane).unroll(v.g);
    Stage update = acc.update();
    update.split(v.x, vectors, lanes, f.vector_lanes)
        .reorder(lanes, vectors, v.g, v.y, v.lane, d.r.y, d.r.z, d.r.x, v.block, v.n)
        .vectorize(lanes)
        .unroll(vectors)
        .unroll(v.g)
        .unroll(v.y)
        .unroll(v.lane);
    specialize_common_geometry(update, d.geometry);
}

// The whole-plane staged kind of the channel tiling: the accumulator holds
// a pass of the block's output plane (`staged.rows` rows) on the stack; its
// update walks the input channels `staged.channels` at a time, outermost,
// and for each chunk copies the pass's zero-padded input rows once and runs
// every register tile over them without checks. Tiles are whole (RoundUp:
// the plane's storage is rounded up, the copy's zeros cover what the extra
// rows and columns read).
void stage_whole_plane(const DirectFuncs& d, const StagedTiling& staged, const TargetFacts& f) {
    const ConvVars& v = d.v;
    const OutputTiling& tile = staged.tiling;
    Func acc = d.kinds[kStaged].accumulator;
    acc.bound_storage(v.x, staged.max_columns).bound_storage(v.y, staged.rows);
    acc.reorder_storage(v.lane, v.x, v.y, v.block, v.g, v.n).vectorize(v.lane, f.vector_lanes);
    Var xo("sxo"), xi("sxi"), yo("syo"), yi("syi");
    RVar co("sco"), ci("sci");
    auto tile_update = [&](Stage s, int tile_x, int tile_y) {
        s.split(v.x, xo, xi, tile_x, TailStrategy::RoundUp)
            .split(v.y, yo, yi, tile_y, TailStrategy::RoundUp)
            .split(d.r.x, co, ci, staged.channels, TailStrategy::GuardWithIf)
            .reorder(v.lane, xi, yi, ci, d.r.y, d.r.z, xo, yo, co, v.block, v.g, v.n)
            .vectorize(v.lane, f.vector_lanes)
            .unroll(v.lane)
            .unroll(xi)
            .unroll(yi);
        specialize_common_geometry(s, d.geometry);
    };
    // Stride-1 planes exactly as wide as a row tile (padded_row_tilings)
    // one whole row per tile: the 7x2 tile computes 14 columns of a 13x13
    // plane and 8 rows of a 7x7 one. The accumulator's storage bounds hold
    // either. (Wider strides would read more columns than the copy holds.)
    Stage update = acc.update();
    const Expr width = d.extents.dim(0).extent();
    for (const OutputTiling& row : padded_row_tilings(f)) {
        tile_update(update.specialize(d.geometry.dense_with_stride(1) && width == row.tile_x), row.tile_x, 1);
    }
    tile_update(update, tile.tile_x, tile.tile_y);
    stage_copy(d, staged, LoopLevel(acc, co), f);
}

// Vectorized over output channels. A band tile is one row of the interior
// tile's columns: its row checks then hold for the whole tile, and Halide's
// loop partitioning takes them out of the kernel-row loop. A strip tile is
// one column x as many rows as the interior tile has columns, so that its
// column checks are one per kernel column and partitioned away alike (its
// row checks bind only in a strip's top and bottom tiles).
//
// Small padded maps (14x14, 13x13, 7x7: 16 padded columns and rows at
// most) go whole through the staged kind instead, where the 7x2 tile fits
// the register file: their strips and bands are most of the plane.
DirectSchedule channels_schedule(const TargetFacts& f) {
    const OutputTiling interior = direct_channel_tiling(f);
    const OutputTiling band{interior.block, interior.tile_x, 1, f.vector_lanes};
    const OutputTiling strip{interior.block, 1, interior.tile_x, f.vector_lanes};
    std::optional<StagedTiling> staged;
    // Passes of 8 rows: 8 x 16 columns x 32 channels of accumulators, and 16
    // input channels x 16 rows x 16 columns of copy, are 16 KB each.
    if (interior.tile_y > 1) staged = StagedTiling{interior, 16, 16, 16, 8};
    auto apply = [f, staged](const DirectFuncs& d) {
        TileVars t;
        tile_regions(d.output, d.extents, chunked_on_1x1(d), d.region, d.v, t, d.threads);
        for (int kind : {kInterior, kBand, kStrip, kBorder}) {
            const RegionTiling& k = d.kinds[kind];
            channel_register_tile(k.accumulator, d.r, d.v, d.geometry, f, k.tiling.tile_x > 1);
        }
        if (staged) stage_whole_plane(d, *staged, f);
    };
    return DirectSchedule{interior, band, strip, interior, staged, apply};
}

// Vectorized over output columns: each tile is one vector of columns x
// `rows` rows x `block` output channels, the channels unrolled. Input rows
// are read as vectors and weights broadcast; every channel's rows are stored
// as vectors straight into the NCHW output (no transpose, unlike the
// channel tiling). Bands use the same tile (with row checks, uniform per
// row). Strips (corners included) and maps without an interior go one
// column x `column_rows` rows at a time: a vector of columns there would need a
// gather per tap for its clamped columns; a block of channels is a vector of
// weights against one broadcast input value instead (scalar for B = 1).
DirectSchedule width_schedule(const TargetFacts& f, int block, int rows, int column_rows,
                              std::optional<StagedTiling> staged = std::nullopt,
                              std::optional<LanesTiling> lanes = std::nullopt,
                              std::optional<PlaneTiling> plane = std::nullopt, bool masked = false) {
    // The masked kind's checked rows one at a time: the runtime gives that
    // kind only the rows whose taps read padding (one above and one below
    // a 3x3 kernel's plane), where a tile of the interior's rows computed
    // up to 8 rows with row checks for each.
    const std::optional<OutputTiling> masked_band =
        masked ? std::optional<OutputTiling>(OutputTiling{block, f.vector_lanes, 1, f.vector_lanes}) : std::nullopt;
    const OutputTiling interior{block, f.vector_lanes, rows, f.vector_lanes};
    const OutputTiling column{block, 1, column_rows, f.vector_lanes};
    auto apply = [f, block, staged, lanes, plane, masked](const DirectFuncs& d) {
        TileVars t;
        tile_regions(d.output, d.extents, chunked_on_1x1(d), d.region, d.v, t, d.threads);
        const ConvVars& v = d.v;
        std::vector<int> vector_tiles = {kInterior, kBand};
        if (staged) {
            vector_tiles.push_back(kStaged);
            // The padded input rows, copied once per row tile (the fused
            // outer loop); loop partitioning keeps the copy's padding checks
            // to the edges.
            stage_copy(d, *staged, LoopLevel(d.output, t.within), f);
        }
        if (plane) {
            stage_plane_columns(d, t, plane->max_elements, f);
            plane_register_tile(d, f);
        }
        // The masked kinds: vector tiles, their padding a select per tap (a
        // masked load on AVX-512) instead of a copy.
        if (masked) {
            vector_tiles.push_back(kMasked);
            vector_tiles.push_back(kMaskedRows);
        }
        auto vector_update = [&](Stage update) {
            update.reorder(v.x, v.y, v.lane, d.r.y, d.r.z, d.r.x, v.block, v.g, v.n)
                .vectorize(v.x, f.vector_lanes)
                .unroll(v.y)
                .unroll(v.lane);
            // Depthwise 3x3 taps unrolled: the rows of the tile then share
            // each input vector they read (LLVM loads it once for the up to
            // 3 rows whose kernel rows meet it, instead of once per tap):
            // mbv2_b2_dw 0.29 -> 0.23 ms. Not with blocks of channels, whose
            // loads are shared by the block already: the unrolled 216-FMA
            // body made vgg_conv2_1 1.5x slower (measured).
            if (block == 1) unroll_taps(update, d, {3});
            specialize_common_geometry(update, d.geometry);
        };
        for (int kind : vector_tiles) {
            Func acc = d.kinds[kind].accumulator;
            acc.vectorize(v.x, f.vector_lanes).unroll(v.y).unroll(v.lane);
            // The unchecked masked kind on the row lengths of the depthwise
            // layers it takes (MobileNet's 56x56 and 112x112 maps): with a
            // constant row stride, the tile's rows lie at constant offsets
            // from one address; otherwise each of its 10 input rows needs
            // an address of its own, kept on the stack. Measured only
            // together with kMasked's one-row tiles: mbv2_b2_dw3x3_144
            // 0.58-0.60x -> 0.65-0.67x oneDNN (3 interleaved rounds).
            if (kind == kMaskedRows) {
                for (int width : kMaskedRowLengths) {
                    vector_update(acc.update().specialize(d.input_row_stride == width));
                }
            }
            vector_update(acc.update());
        }
        for (int kind : {kStrip, kBorder}) {
            Func acc = d.kinds[kind].accumulator;
            acc.unroll(v.y);
            Stage update = acc.update();
            update.reorder(v.lane, v.x, v.y, d.r.x, d.r.y, d.r.z, v.block, v.g, v.n).unroll(v.y);
            if (d.kinds[kind].tiling.block > 1) {
                acc.reorder_storage(v.lane, v.x, v.y, v.block, v.g, v.n).vectorize(v.lane);
                update.vectorize(v.lane);
            }
            specialize_common_geometry(update, d.geometry);
        }
        if (lanes) stage_lanes(d, *lanes, t);
    };
    DirectSchedule schedule{interior, interior, column, column, staged, apply, lanes, interior.tile_x, plane};
    schedule.masked = masked_band;
    return schedule;
}

// Depthwise: one output channel per group; 8 rows of accumulators hide the
// FMA latency on every target. One vector wide: maps of 28 or 56 columns
// keep an interior at every vector width. Where a row tile's input rows fit
// the stack (16 KB: up to 19 rows x 208 columns, e.g. stride 2 and 5x5
// kernels on 208-wide inputs), the whole plane is one staged call: the
// zero-padded rows are copied once per row tile, and every tile, edges
// included, then runs the vector loop without checks.
//
// Planes of at most 16 x 16 padded input pixels on AVX-512 (22 x 22 on AVX2,
// 32 x 32 on NEON: a vector of groups' copy in 16 KB) go a vector of groups
// at a time instead (the lanes kind), once there are that many groups: a
// 7x7 plane fills 7 of a vector's 16 columns, and its fixed cost per plane
// was most of the time of mbv2_b16_dw3x3_960_7x7.
DirectSchedule depthwise_schedule(const TargetFacts& f) {
    const int rows = 8;
    const OutputTiling tile{1, f.vector_lanes, rows, f.vector_lanes};
    int side = 1;
    while ((side + 1) * (side + 1) * f.vector_lanes * int(sizeof(float)) <= kMaxStackAllocationBytes) side++;
    // Planes up to 2048 pixels (28x28 maps): on a 56x56 map the staged
    // kind's row vectors were faster (mbv2_b2_dw3x3_144 0.54-0.57x oneDNN,
    // 0.44-0.54x through the plane kind's masked taps; 2 interleaved runs;
    // with the taps read from the input, 0.27 ms against the staged kind's
    // 0.21-0.22, 2026-12-07).
    const PlaneTiling plane{OutputTiling{1, 2 * f.vector_lanes, 1, f.vector_lanes}, 2048};
    return width_schedule(f, 1, rows, 8, StagedTiling{tile, 208, 19}, LanesTiling{f.vector_lanes, side, side},
                          plane, /*masked=*/true);
}

// Dense and grouped layers on the NCHW planes: block x rows accumulators
// (row_tile_channels). Strip tiles of 8 rows: 8 accumulators of one vector
// of channels each.
DirectSchedule rows_schedule(const TargetFacts& f) {
    const int rows = 3;
    return width_schedule(f, row_tile_channels(f, rows), rows, 8);
}

}  // namespace

// The channel tiling, but 7 columns x 2 rows where 14 pixels fit the
// register file (AVX-512: 28 accumulators + 2 weight vectors + 1 broadcast):
// 7 divides the widths of most CNN feature maps (224, 112, 56, 28, 14, 7), so
// tiles rarely recompute columns, and a 7x7 map is one tile wide. (The
// GEMM-based lowerings keep one row per tile: their workspace formulas
// count computed rows; direct_padded's counts the rows its tiles compute.)
namespace {

// Output pixels of `tiling`'s channel block whose accumulators fit the
// register file beside the block's weight vectors and one broadcast.
int pixels_that_fit(const OutputTiling& tiling, const TargetFacts& f) {
    const int vectors = tiling.block / f.vector_lanes;
    return (f.vector_registers - vectors - 1) / vectors;
}

}  // namespace

OutputTiling direct_channel_tiling(const TargetFacts& f) {
    OutputTiling tiling = channel_tiling(f);
    if (pixels_that_fit(tiling, f) >= 14) {
        tiling.tile_x = 7;
        tiling.tile_y = 2;
    }
    return tiling;
}

std::vector<OutputTiling> padded_row_tilings(const TargetFacts& f) {
    const OutputTiling channels = channel_tiling(f);
    std::vector<OutputTiling> tilings;
    for (int width : kPaddedRowWidths) {
        if (pixels_that_fit(channels, f) < width) continue;
        OutputTiling row = channels;
        row.tile_x = width;
        row.tile_y = 1;
        tilings.push_back(row);
    }
    return tilings;
}

// The blocks of all groups in `threads` parallel chunks; a block's channels
// vectorized where it is `block` channels (`full_blocks`).
void schedule_blocked_copy(Func copy, const Expr& full_blocks, int block, const Expr& blocks,
                           const Expr& threads) {
    const std::vector<Var> a = copy.args();  // (ci, x, y, cb, g, n)
    Var blocks_groups("copy_blocks"), chunk("copy_chunk"), within("copy_within");
    Expr workers = max(1, threads);
    // Stored `block` channels per pixel whatever the layer's block: the
    // register tile's reads then lie at constant offsets from one row's
    // address (with a runtime pixel stride, each of the tile's 14 reads
    // needed an address register of its own, and the accumulators spilled).
    copy.compute_root()
        .bound_storage(a[0], block)
        .fuse(a[3], a[4], blocks_groups)
        .split(blocks_groups, chunk, within, max(1, (blocks + workers - 1) / workers), TailStrategy::GuardWithIf)
        .parallel(chunk);
    copy.specialize(full_blocks).vectorize(a[0], block).unroll(a[1], 4, TailStrategy::GuardWithIf);
}

DirectSchedule direct_schedule_for(const std::string& name, const TargetFacts& facts) {
    if (name == "channels") return channels_schedule(facts);
    if (name == "width") return depthwise_schedule(facts);
    if (name == "rows") return rows_schedule(facts);
    throw std::invalid_argument("unknown direct schedule '" + name + "'");
}

}  // namespace convkit_gen
