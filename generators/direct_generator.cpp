// Direct convolution with zero extra memory (Zhang, Franchetti, Low 2018).
//
// The algorithm: every output is a dot product over (c, kx, ky) read straight
// from the caller's input and the packed weights; nothing is lowered or
// copied. Zero padding is a select on the input reads, kept out of the hot
// loop wherever the region allows: the runtime calls the kernel on the
// interior and on the padding bands and strips apart, and the kernel picks
// the accumulator that checks only the axes that can leave the image.
#include "conv_generator.h"
#include "direct_schedule.h"

namespace convkit_gen {
namespace {

class DirectConv : public ConvGenerator<DirectConv> {
public:
    // Which schedule from schedules/direct_schedule.h to apply.
    GeneratorParam<std::string> schedule_name{"schedule", "channels"};

    void generate() {
        const DirectSchedule schedule = direct_schedule_for(schedule_name, target_facts(get_target()));
        const OutputTiling& tile = schedule.tiling;

        /* THE ALGORITHM */
        RDom r = taps();
        auto product = [&](const std::string& name, bool check_x, bool check_y) {
            Func image = padded_on(input, in_w(), in_h(), check_x, check_y);
            return blocked_product(name, r, [&, image](Expr c, Expr kx, Expr ky, Expr x, Expr y, Expr g, Expr n) {
                return image(x * stride_x + kx * dilation_x - pad_left,
                             y * stride_y + ky * dilation_y - pad_top, c, g, n);
            });
        };
        Func interior = product("conv_interior", false, false);
        Func rows = product("conv_rows", false, true);        // top and bottom bands
        Func columns = product("conv_columns", true, schedule.column_checks_rows);  // left/right strips
        Func border = product("conv_border", true, true);

        // Which axes of this call's output region read only inside the image.
        // An unchecked axis must also stay inside the region: at least one
        // tile long, so ShiftInwards never computes past it.
        Expr x_first = output.dim(0).min(), x_count = output.dim(0).extent();
        Expr y_first = output.dim(1).min(), y_count = output.dim(1).extent();
        Expr x_last = x_first + x_count - 1, y_last = y_first + y_count - 1;
        Expr x_inside = x_count >= tile.tile_x && x_first * stride_x - pad_left >= 0 &&
                        x_last * stride_x + (kernel_w() - 1) * dilation_x - pad_left < in_w();
        Expr y_inside = y_count >= tile.tile_y && y_first * stride_y - pad_top >= 0 &&
                        y_last * stride_y + (kernel_h() - 1) * dilation_y - pad_top < in_h();
        Expr column_inside = y_inside && y_count >= schedule.column_rows;
        const bool has_columns = schedule.column_rows > 0;
        Expr column_strip = !has_columns                  ? Internal::const_false()
                            : schedule.column_checks_rows ? !x_inside
                                                          : !x_inside && column_inside;
        const int block = tile.block;
        Expr sum = select(x_inside && y_inside, at_channel(interior, block),
                          x_inside, at_channel(rows, block),
                          column_strip, at_channel(columns, block),
                          at_channel(border, block));
        define_output(sum);

        /* THE SCHEDULE */
        ProductFuncs funcs{{interior, rows, border}, output, output, r, v, threads, geometry()};
        if (has_columns) {
            const OutputTiling column_tile{block, 1, schedule.column_rows, tile.lanes};
            funcs.columns = ColumnStrips{columns, column_strip, column_tile, schedule.column_checks_rows};
        }
        if (!autoscheduled(block)) schedule.apply(funcs);
        constrain_buffers(block);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::DirectConv, direct)
