// im2col + GEMM: the classic lowering. Each output pixel's receptive field
// (Cg*KH*KW values, zero padding included) is copied into a column of the
// patch matrix; the convolution is then the product of the packed weights
// (M x Cg*KH*KW per group) with that matrix. A 1x1, stride-1, unpadded layer
// needs no lowering at all: the input already is the patch matrix.
#include "conv_generator.h"
#include "im2col_schedule.h"

namespace convkit_gen {
namespace {

class Im2colConv : public ConvGenerator<Im2colConv> {
public:
    // "classic": the whole patch matrix; "tiled": one row tile at a time.
    GeneratorParam<std::string> schedule_name{"schedule", "classic"};

    void generate() {
        const TargetFacts facts = target_facts(get_target());
        const OutputTiling tiling = channel_tiling(facts);

        /* THE ALGORITHM */
        Var c("c"), kx("kx"), ky("ky");
        Func padded = zero_padded(input, in_w(), in_h());
        Func patches("im2col");  // (c, kx, ky, x, y, g, n)
        patches(c, kx, ky, v.x, v.y, v.g, v.n) =
            padded(v.x * stride_x + kx * dilation_x - pad_left,
                   v.y * stride_y + ky * dilation_y - pad_top, c, v.g, v.n);

        RDom r = taps();
        Func lowered = blocked_product("gemm", r, [&](Expr c, Expr kx, Expr ky, Expr x, Expr y, Expr g, Expr n) {
            return patches(c, kx, ky, x, y, g, n);
        });
        Func image = unpadded(input, in_w(), in_h());
        Func plain = blocked_product("gemm_1x1", r, [&](Expr c, Expr, Expr, Expr x, Expr y, Expr g, Expr n) {
            return image(x, y, c, g, n);
        });
        // Halide computes only the product (and the patches) selected here.
        // Outputs smaller than a register tile over-compute a tile, which
        // only the padded patches may do.
        Expr out_w = output.dim(0).extent(), out_h = output.dim(1).extent();
        Expr no_lowering = kernel_w() == 1 && kernel_h() == 1 && stride_x == 1 && stride_y == 1 &&
                           pad_left == 0 && pad_top == 0 && out_w == in_w() && out_h == in_h() &&
                           out_w >= tiling.tile_x && out_h >= tiling.tile_y;
        define_output(select(no_lowering, at_channel(plain, tiling.block), at_channel(lowered, tiling.block)));

        /* THE SCHEDULE */
        if (autoscheduled(tiling.block)) return constrain_buffers(tiling.block);
        ProductFuncs product{{lowered, plain}, output, output, r, v, threads, geometry()};
        const TileVars t = schedule_channel_product(product, tiling, facts);
        schedule_patches(im2col_schedule_from(schedule_name), patches, output, t, v, threads);
        constrain_buffers(tiling.block);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::Im2colConv, im2col)
