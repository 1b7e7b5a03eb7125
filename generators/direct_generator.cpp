// Direct convolution with zero extra memory (Zhang, Franchetti, Low 2018).
//
// The algorithm: every output is a dot product over (c, kx, ky) read straight
// from the caller's input and the packed weights; nothing is lowered or
// copied. Zero padding is a select on the input reads, kept out of the hot
// loop wherever the region allows: the runtime calls the kernel on the
// interior and on the padding bands and strips apart, naming the region's
// kind, and the kernel computes it with the accumulator that checks only the
// axes that can leave the image, in a register tile of that kind's own.
#include "conv_generator.h"
#include "direct_schedule.h"

namespace convkit_gen {
namespace {

class DirectConv : public ConvGenerator<DirectConv> {
public:
    // Which schedule from schedules/direct_schedule.h to apply.
    GeneratorParam<std::string> schedule_name{"schedule", "channels"};

    // The input columns (from the first) and rows that `columns` x `rows`
    // outputs from the region's first column read.
    struct Footprint {
        Expr first_column, columns, rows;
    };
    Footprint footprint_of(Expr columns, Expr rows) {
        auto input_extent = [](Expr outputs, Expr stride, Expr k, Expr dilation) {
            return (outputs - 1) * stride + (k - 1) * dilation + 1;
        };
        return {output.dim(0).min() * stride_x - pad_left, input_extent(columns, stride_x, kernel_w(), dilation_x),
                input_extent(rows, stride_y, kernel_h(), dilation_y)};
    }

    // What the staged kind's register tiles read for one copy: one row
    // tile's rows, or one pass's rows of the whole plane in whole tiles
    // (StagedTiling); a region narrower than a tile is computed a whole tile
    // wide.
    Footprint staged_footprint(const StagedTiling& staged) {
        const int tile_x = staged.tiling.tile_x, tile_y = staged.tiling.tile_y;
        auto whole_tiles = [](Expr n, int tile) { return (n + tile - 1) / tile * tile; };
        Expr width = output.dim(0).extent(), height = output.dim(1).extent();
        const bool passes = staged.channels > 0;
        Expr columns = passes ? whole_tiles(width, tile_x) : max(width, tile_x);
        Expr rows = passes ? whole_tiles(min(height, staged.rows), tile_y) : Expr(tile_y);
        return footprint_of(columns, rows);
    }

    // A zero-padded copy of the input columns that `fp` reads.
    Func padded_copy(const Footprint& fp, const std::string& name) {
        return zero_padded_copy(input, in_h(), max(fp.first_column, 0), min(fp.first_column + fp.columns, in_w()),
                                name);
    }

    // The plane kind (region_kind.h) reads the group's input plane as one
    // flat row, pixel (x, y) at j = x + y * W, straight from the caller's
    // tensor: the runtime passes the input with its rows' length W as the
    // row stride and its columns extended past the plane on both sides, over
    // the neighbouring planes' memory (only for groups whose neighbours lie
    // there). An output at flat i reads its taps at fixed offsets from i; a
    // tap that leaves the output's row (its column) or the plane (its row)
    // reads zero instead.
    Expr plane_width() { return input.dim(1).stride(); }
    Expr plane_pixels() { return plane_width() * in_h(); }

    // How far past an output, in flat pixels, its last tap reads beyond its
    // first: (KH-1) dilated rows and (KW-1) dilated columns.
    Expr flat_tap_span() { return (kernel_h() - 1) * dilation_y * plane_width() + (kernel_w() - 1) * dilation_x; }

    // Whether kernel column kx of the flat output i reads inside the
    // output's row (stride 1: the output's column is i % W); the schedule
    // computes it once per parallel task, not per plane.
    Func plane_columns() {
        Var i("pci"), kx("pckx");
        Func inside("plane_column_inside");
        Expr column = i % plane_width() + kx * dilation_x - pad_left;
        inside(i, kx) = select(column >= 0 && column < plane_width(), cast<uint8_t>(1), cast<uint8_t>(0));
        return inside;
    }

    // The plane kind's tap c, kx, ky of the flat output i: a fixed offset
    // from i in the flat input, zero where its column leaves the output's
    // row or its row leaves the plane (LLVM emits a masked move and an FMA
    // per masked tap on AVX-512).
    Expr plane_tap(Func inside, Expr c, Expr kx, Expr ky, Expr i, Expr g, Expr n) {
        Expr row_start = i + (ky * dilation_y - pad_top) * plane_width();
        Expr offset = (ky * dilation_y - pad_top) * plane_width() + kx * dilation_x - pad_left;
        Expr reads_inside = inside(i, kx) != 0 && row_start >= 0 && row_start < plane_pixels();
        return select(reads_inside, input(i + offset, 0, c, g, n), 0.0f);
    }

    // Whether every tap of the region's rows reads a row of the image.
    Expr rows_read_inside() {
        Expr first = output.dim(1).min(), last = first + output.dim(1).extent() - 1;
        return first * stride_y - pad_top >= 0 && last * stride_y + (kernel_h() - 1) * dilation_y - pad_top < in_h();
    }

    // The masked kind's tap (region_kind.h): the input's rows W long (its
    // row stride), their columns readable past both ends; a tap whose
    // column leaves the row reads zero. Where `check_rows` (kMasked), so
    // does a tap whose row leaves the plane (its row clamped, so that only
    // columns read past the plane); elsewhere (kMaskedRows) every row read
    // is inside.
    Expr masked_tap(Expr c, Expr kx, Expr ky, Expr x, Expr y, Expr g, Expr n, bool check_rows) {
        Expr column = x * stride_x + kx * dilation_x - pad_left;
        Expr row = y * stride_y + ky * dilation_y - pad_top;
        Expr column_inside = column >= 0 && column < plane_width();
        auto read_masked = [&](Expr read_row) {
            return select(likely(column_inside), input(column, read_row, c, g, n), 0.0f);
        };
        if (!check_rows) return read_masked(row);
        return select(row >= 0 && row < in_h(), read_masked(clamp(row, 0, in_h() - 1)), 0.0f);
    }

    void generate() {
        const DirectSchedule schedule = direct_schedule_for(schedule_name, target_facts(get_target()));

        /* THE ALGORITHM */
        RDom r = taps();
        auto product_of = [&](const std::string& name, Func image) {
            return blocked_product(name, r, [&, image](Expr c, Expr kx, Expr ky, Expr x, Expr y, Expr g, Expr n) {
                return image(x * stride_x + kx * dilation_x - pad_left,
                             y * stride_y + ky * dilation_y - pad_top, c, g, n);
            });
        };
        auto product = [&](const std::string& name, bool check_x, bool check_y) {
            return product_of(name, padded_on(input, in_w(), in_h(), check_x, check_y, /*promise_columns=*/false));
        };
        // One accumulator per region kind, checking only the axes on which
        // that kind of region can read padding. Strips run the full height
        // of the map (corners included), one column at a time: their row
        // checks only bind in the top and bottom tiles, where Halide's loop
        // partitioning keeps them out of the other tiles' kernel-row loops.
        Func interior = product("conv_interior", false, false);
        Func rows = product("conv_rows", false, true);        // top and bottom bands
        Func columns = product("conv_columns", true, true);   // left and right strips
        Func border = product("conv_border", true, true);

        // The staged kind reads a zero-padded copy of the input (its
        // schedule stages the copy; the padding checks run once per input
        // element there, not once per tap).
        const StagedTiling staged_tiling = schedule.staged.value_or(StagedTiling{schedule.interior, 0, 0});
        const Footprint footprint = staged_footprint(staged_tiling);
        Func staged_input = padded_copy(footprint, "input_staged");
        Func staged = product_of("conv_staged", staged_input);
        // The lanes kind reads a zero-padded copy of the region's whole
        // plane; its schedule puts the groups in the vector lanes.
        const Footprint plane = footprint_of(output.dim(0).extent(), output.dim(1).extent());
        Func lanes_input = padded_copy(plane, "input_lanes");
        Func lanes = product_of("conv_lanes", lanes_input);

        // The plane kind's outputs are a flat row too (the runtime's view:
        // one row of the plane's H*W pixels, x = column + row * W; stride 1
        // keeps the input's row length).
        const int plane_tile = schedule.plane ? schedule.plane->tiling.tile_x : 1;
        Func plane_inside = plane_columns();
        Func flat = blocked_product("conv_plane", r, [&](Expr c, Expr kx, Expr ky, Expr i, Expr, Expr g, Expr n) {
            return plane_tap(plane_inside, c, kx, ky, i, g, n);
        });

        // The masked kinds read the input as it is, their columns masked;
        // kMasked checks the rows too, in a register tile of its own (one
        // row: the runtime gives it only the rows that read padding).
        auto masked_product = [&](const std::string& name, bool check_rows) {
            return blocked_product(name, r, [&, check_rows](Expr c, Expr kx, Expr ky, Expr x, Expr y, Expr g,
                                                            Expr n) {
                return masked_tap(c, kx, ky, x, y, g, n, check_rows);
            });
        };
        Func masked = masked_product("conv_masked", true);
        Func masked_rows = masked_product("conv_masked_rows", false);

        const int block = schedule.interior.block;
        using namespace convkit_abi;
        Expr other = at_channel(border, block);
        if (schedule.staged) other = select(region == kStaged, at_channel(staged, block), other);
        if (schedule.lanes) other = select(region == kLanes, at_channel(lanes, block), other);
        if (schedule.plane) other = select(region == kPlane, at_channel(flat, block), other);
        if (schedule.masked) {
            other = select(region == kMasked, at_channel(masked, block), region == kMaskedRows,
                           at_channel(masked_rows, block), other);
        }
        Expr sum = select(region == kInterior, at_channel(interior, block),
                          region == kBand, at_channel(rows, block),
                          region == kStrip, at_channel(columns, block),
                          other);
        define_output(sum);

        /* THE SCHEDULE */
        // Whether this call's output region fits each kind: an unchecked
        // axis must read only inside the image and be at least one tile
        // long, so ShiftInwards never computes past it. Runtime/src/regions.cpp
        // classifies regions by the same rules.
        Expr x_first = output.dim(0).min(), x_count = output.dim(0).extent();
        Expr y_count = output.dim(1).extent();
        Expr x_last = x_first + x_count - 1;
        // The input columns [first_read, end_read) that the region's taps read.
        Expr first_read = x_first * stride_x - pad_left;
        Expr end_read = x_last * stride_x + (kernel_w() - 1) * dilation_x - pad_left + 1;
        Expr x_reads_inside = first_read >= 0 && end_read <= in_w();
        Expr y_reads_inside = rows_read_inside();
        const DirectSchedule& s = schedule;
        DirectFuncs funcs{{{interior, s.interior,
                            x_reads_inside && y_reads_inside && x_count >= s.interior.tile_x &&
                                y_count >= s.interior.tile_y},
                           {rows, s.band, x_reads_inside && x_count >= s.band.tile_x},
                           {columns, s.strip, y_count >= s.strip.tile_y},
                           {border, s.border, Internal::const_true()}},
                          output, output, r, v, threads, region, geometry()};
        funcs.input_row_stride = input.dim(1).stride();
        if (schedule.staged) {
            // The copy must fit its storage; the depthwise copy holds one
            // input channel per group.
            Expr fits = footprint.columns <= staged_tiling.max_columns && footprint.rows <= staged_tiling.max_rows;
            if (staged_tiling.channels == 0) fits = fits && input.dim(2).extent() == 1;
            funcs.kinds.push_back({staged, staged_tiling.tiling, fits, staged_tiling.rows});
            funcs.staged_input = staged_input;
            funcs.staged_columns = footprint.columns;
            funcs.staged_rows = footprint.rows;
        }
        if (schedule.lanes) {
            // The plane's copy fits its storage, one input channel per
            // group, and there is at least a vector of groups.
            const LanesTiling& l = *schedule.lanes;
            if (!schedule.staged) throw std::logic_error("the lanes kind follows the staged kind (region_kind.h)");
            Expr fits = plane.columns <= l.max_columns && plane.rows <= l.max_rows && input.dim(2).extent() == 1 &&
                        output.dim(3).extent() >= l.groups;
            RegionTiling kind{lanes, s.interior, fits};
            kind.group_lanes = l.groups;
            funcs.kinds.push_back(kind);
            funcs.lanes_input = lanes_input;
            funcs.lanes_weights = weights.in(lanes);
            funcs.lanes_bias = bias.in(lanes);
        }
        if (schedule.plane) {
            // One input channel per group, stride 1, kernels of at most
            // kPlaneMaxKernelSize squared, at least a register tile of
            // outputs and kPlaneGroups groups, and the outputs and what
            // their taps read past them within the column masks' bound.
            if (!schedule.lanes) throw std::logic_error("the plane kind follows the lanes kind (region_kind.h)");
            Expr fits = stride_x == 1 && stride_y == 1 && input.dim(2).extent() == 1 &&
                        kernel_w() <= kPlaneMaxKernelSize &&
                        kernel_h() <= kPlaneMaxKernelSize && output.dim(1).extent() == 1 &&
                        output.dim(0).min() == 0 &&
                        output.dim(0).extent() >= plane_tile && output.dim(3).extent() >= kPlaneGroups &&
                        output.dim(0).extent() + flat_tap_span() <= schedule.plane->max_elements;
            RegionTiling kind{flat, schedule.plane->tiling, fits};
            kind.group_planes = kPlaneGroups;
            funcs.kinds.push_back(kind);
            funcs.plane_columns = plane_inside;
        }
        if (schedule.masked) {
            // One input channel per group, the whole plane at least a tile
            // wide (ShiftInwards: no tile computes past its columns), and
            // the extended view covering every column the taps read.
            if (!schedule.plane) throw std::logic_error("the masked kind follows the plane kind (region_kind.h)");
            Expr fits = input.dim(2).extent() == 1 && input.dim(0).min() <= first_read &&
                        input.dim(0).min() + input.dim(0).extent() >= end_read;
            RegionTiling checked{masked, *s.masked, fits && x_count >= s.masked->tile_x};
            checked.plane_loops = true;
            funcs.kinds.push_back(checked);
            // Rows unchecked: all of them read inside, a whole tile of them
            // (ShiftInwards never computes past them).
            RegionTiling unchecked{masked_rows, s.interior,
                                   fits && x_count >= s.interior.tile_x && y_reads_inside &&
                                       y_count >= s.interior.tile_y};
            unchecked.plane_loops = true;
            funcs.kinds.push_back(unchecked);
        }
        if (!autoscheduled(block)) schedule.apply(funcs);
        constrain_buffers(block);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::DirectConv, direct)
