// Direct convolution with zero extra memory (Zhang, Franchetti, Low 2018).
//
// The algorithm: every output is a dot product over (c, kx, ky) read straight
// from the caller's input and the packed weights; nothing is lowered or
// copied. Zero padding is a select on each input read (zero_padded()), used
// only for output regions near the border; the interior region runs a
// select-free accumulator.
#include "conv_common.h"
#include "direct_schedule.h"

namespace convkit_gen {
namespace {

class DirectConv : public Generator<DirectConv> {
public:
    // Which schedule from schedules/direct_schedule.h to apply.
    GeneratorParam<std::string> schedule_name{"schedule", "channels"};

    Input<Buffer<float, 5>> input{"input"};
    Input<Buffer<float, 6>> weights{"weights"};
    Input<Buffer<float, 3>> bias{"bias"};  // (lane, block, g), packed like weights
    Input<int> stride_x{"stride_x"}, stride_y{"stride_y"};
    Input<int> dilation_x{"dilation_x"}, dilation_y{"dilation_y"};
    Input<int> pad_left{"pad_left"}, pad_top{"pad_top"};
    Input<bool> relu{"relu"};
    Input<int> threads{"threads"};
    Output<Buffer<float, 5>> output{"output"};

    void generate() {
        const DirectSchedule schedule = direct_schedule_for(schedule_name, target_facts(get_target()));
        ConvVars v;

        /* THE ALGORITHM */
        Expr in_w = input.dim(0).extent(), in_h = input.dim(1).extent();
        Expr kernel_w = weights.dim(2).extent(), kernel_h = weights.dim(3).extent();

        RDom r(0, input.dim(2).extent(), 0, kernel_w, 0, kernel_h, "r");
        auto accumulate = [&](const Func& from, const char* name) {
            RVar c = r.x, kx = r.y, ky = r.z;
            Func acc(name);  // (x, y, lane, block, g, n)
            acc(v.x, v.y, v.lane, v.block, v.g, v.n) = bias(v.lane, v.block, v.g);
            acc(v.x, v.y, v.lane, v.block, v.g, v.n) +=
                from(v.x * stride_x + kx * dilation_x - pad_left,
                     v.y * stride_y + ky * dilation_y - pad_top, c, v.g, v.n) *
                weights(v.lane, c, kx, ky, v.block, v.g);
            return acc;
        };
        Func interior = accumulate(unpadded(input, in_w, in_h), "conv_interior");
        Func border = accumulate(zero_padded(input, in_w, in_h), "conv_border");

        // When every tap of the output region reads inside the image, and the
        // region is at least one schedule tile big (smaller ones over-compute
        // a tile), the select-free accumulator is exact. The runtime calls
        // the kernel on the interior region and the border regions apart;
        // Halide computes only the accumulator selected here.
        Expr x_first = output.dim(0).min(), x_count = output.dim(0).extent();
        Expr y_first = output.dim(1).min(), y_count = output.dim(1).extent();
        Expr x_last = x_first + x_count - 1, y_last = y_first + y_count - 1;
        Expr needs_padding =
            x_count < schedule.tile_x || y_count < schedule.tile_y ||
            x_first * stride_x - pad_left < 0 || y_first * stride_y - pad_top < 0 ||
            x_last * stride_x + (kernel_w - 1) * dilation_x - pad_left >= in_w ||
            y_last * stride_y + (kernel_h - 1) * dilation_y - pad_top >= in_h;
        auto at = [&](const Func& acc) {
            return acc(v.x, v.y, v.m % schedule.block, v.m / schedule.block, v.g, v.n);
        };
        Expr sum = select(needs_padding, at(border), at(interior));
        output(v.x, v.y, v.m, v.g, v.n) = select(relu, max(sum, 0.0f), sum);

        /* THE SCHEDULE */
        DirectFuncs funcs{{interior, border}, output, r, v, threads,
                          ConvGeometry{stride_x, stride_y, dilation_x, dilation_y, kernel_w, kernel_h}};
        schedule.apply(funcs);
        weights.dim(0).set_extent(schedule.block);
        bias.dim(0).set_extent(schedule.block);
        constrain_dense_innermost();
    }

private:
    // Innermost dimensions are dense, which the vector loads rely on.
    void constrain_dense_innermost() {
        input.dim(0).set_stride(1);
        weights.dim(0).set_stride(1);
        bias.dim(0).set_stride(1);
        output.dim(0).set_stride(1);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::DirectConv, direct)
