// Direct convolution with zero extra memory (Zhang, Franchetti, Low 2018).
//
// The algorithm: every output is a dot product over (c, kx, ky) read straight
// from the caller's input and the packed weights; nothing is lowered or
// copied. Zero padding is a select on each input read (zero_padded()), used
// only for output regions near the border; the interior region runs a
// select-free accumulator.
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

        /* THE ALGORITHM */
        RDom r = taps();
        auto reading = [&](const Func& image) -> SourceFn {
            return [&, image](Expr c, Expr kx, Expr ky, Expr x, Expr y, Expr g, Expr n) {
                return image(x * stride_x + kx * dilation_x - pad_left,
                             y * stride_y + ky * dilation_y - pad_top, c, g, n);
            };
        };
        Func interior = blocked_product("conv_interior", r, reading(unpadded(input, in_w(), in_h())));
        Func border = blocked_product("conv_border", r, reading(zero_padded(input, in_w(), in_h())));

        // When every tap of the output region reads inside the image, and the
        // region is at least one schedule tile big (smaller ones over-compute
        // a tile), the select-free accumulator is exact. The runtime calls
        // the kernel on the interior region and the border regions apart;
        // Halide computes only the accumulator selected here.
        Expr x_first = output.dim(0).min(), x_count = output.dim(0).extent();
        Expr y_first = output.dim(1).min(), y_count = output.dim(1).extent();
        Expr x_last = x_first + x_count - 1, y_last = y_first + y_count - 1;
        Expr needs_padding =
            x_count < schedule.tiling.tile_x || y_count < schedule.tiling.tile_y ||
            x_first * stride_x - pad_left < 0 || y_first * stride_y - pad_top < 0 ||
            x_last * stride_x + (kernel_w() - 1) * dilation_x - pad_left >= in_w() ||
            y_last * stride_y + (kernel_h() - 1) * dilation_y - pad_top >= in_h();
        const int block = schedule.tiling.block;
        define_output(select(needs_padding, at_channel(border, block), at_channel(interior, block)));

        /* THE SCHEDULE */
        ProductFuncs funcs{{interior, border}, output, output, r, v, threads, geometry()};
        schedule.apply(funcs);
        constrain_buffers(block);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::DirectConv, direct)
