// im2win (Lu et al. 2022): the window lowering. For each output row y the
// KH input rows it reads are interleaved into one window strip,
//   W(c, ky, w, y, g, n) = input(w - pad_left, y*sy + ky*dy - pad_top, c, g, n)
// (zero in the padding), so every output window is a contiguous run of the
// strip: horizontal overlap between windows is shared, vertical overlap
// duplicated (Kh/sh instead of Kh*Kw/(sh*sw) for im2col). The dot products
// over a window use the shared product schedule.
#include "conv_generator.h"
#include "gemm_schedule.h"

namespace convkit_gen {
namespace {

class Im2winConv : public ConvGenerator<Im2winConv> {
public:
    void generate() {
        const TargetFacts facts = target_facts(get_target());
        const OutputTiling tiling = channel_tiling(facts);

        /* THE ALGORITHM */
        Var c("c"), ky("ky"), w("w");
        Func padded = zero_padded(input, in_w(), in_h());
        Func windows("im2win");  // (c, ky, w, y, g, n), w over padded columns
        windows(c, ky, w, v.y, v.g, v.n) =
            padded(w - pad_left, v.y * stride_y + ky * dilation_y - pad_top, c, v.g, v.n);

        RDom r = taps();
        Func product = blocked_product("dot", r, [&](Expr c, Expr kx, Expr ky, Expr x, Expr y, Expr g, Expr n) {
            return windows(c, ky, x * stride_x + kx * dilation_x, y, g, n);
        });
        define_output(at_channel(product, tiling.block));

        /* THE SCHEDULE */
        if (autoscheduled(tiling.block)) return constrain_buffers(tiling.block);
        ProductFuncs funcs{{product}, output, output, r, v, threads, geometry()};
        schedule_channel_product(funcs, tiling, facts);
        // The window tensor first, its rows in `threads` parallel chunks.
        Var chunk("chunk"), in_chunk("in_chunk");
        Expr workers = max(1, threads), rows = output.dim(1).extent();
        windows.compute_root().split(v.y, chunk, in_chunk, max(1, (rows + workers - 1) / workers),
                                     TailStrategy::GuardWithIf).parallel(chunk);
        constrain_buffers(tiling.block);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::Im2winConv, im2win)
