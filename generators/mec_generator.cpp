// MEC (Cho & Brand 2017): the compact lowering. The lowered matrix keeps, for
// each output column wo, the vertical strip of input columns it reads:
//   L(c, kx, h, wo, g, n) = input(wo*sx + kx*dx - pad_left, h - pad_top, c, g, n)
// (zero in the padding); output row y reads rows y*sy + ky*dy of the strips,
// a strided view of L with no further copy. Vertical overlap between windows
// is shared, horizontal overlap duplicated: Kw/sw instead of Kh*Kw/(sh*sw).
//   Solution B: one GEMM per (n, output row), written straight into the output.
//   Solution A: the GEMMs of an output row batched over n and wo into a
//               temporary O(m, wo, n, ho), then transposed into the output.
#include "conv_generator.h"
#include "gemm_schedule.h"

namespace convkit_gen {
namespace {

class MecConv : public ConvGenerator<MecConv> {
public:
    GeneratorParam<std::string> schedule_name{"schedule", "B"};  // Solution "A" or "B"

    void generate() {
        const TargetFacts facts = target_facts(get_target());
        const OutputTiling tiling = channel_tiling(facts);
        const bool solution_a = std::string(schedule_name) == "A";

        /* THE ALGORITHM */
        Var c("c"), kx("kx"), h("h");
        Func padded = zero_padded(input, in_w(), in_h());
        Func lowered("mec_lowered");  // (c, kx, h, wo, g, n), h over padded rows
        lowered(c, kx, h, v.x, v.g, v.n) =
            padded(v.x * stride_x + kx * dilation_x - pad_left, h - pad_top, c, v.g, v.n);

        RDom r = taps();
        Func product = blocked_product("gemm", r, [&](Expr c, Expr kx, Expr ky, Expr x, Expr y, Expr g, Expr n) {
            return lowered(c, kx, y * stride_y + ky * dilation_y, x, g, n);
        });
        Func rows("mec_output_rows");  // Solution A's temporary, stored [ho][n][wo][m]
        rows(v.x, v.y, v.m, v.g, v.n) = at_channel(product, tiling.block);
        define_output(solution_a ? rows(v.x, v.y, v.m, v.g, v.n) : at_channel(product, tiling.block));

        /* THE SCHEDULE */
        if (autoscheduled(tiling.block)) return constrain_buffers(tiling.block);
        Func tiled = solution_a ? rows : Func(output);
        ProductFuncs funcs{{product}, tiled, output, r, v, threads, geometry()};
        const TileVars t = schedule_channel_product(funcs, tiling, facts);
        if (solution_a) {
            rows.compute_root().reorder_storage(v.m, v.x, v.n, v.y, v.g);
            output.vectorize(v.x, tiling.lanes, TailStrategy::GuardWithIf).parallel(v.y);
        }
        // The lowered matrix first, its rows in `threads` parallel chunks.
        Var chunk("chunk"), in_chunk("in_chunk");
        Expr workers = max(1, threads);
        lowered.compute_root().split(h, chunk, in_chunk, max(1, (in_h() + workers - 1) / workers),
                                     TailStrategy::GuardWithIf).parallel(chunk);
        (void)t;
        constrain_buffers(tiling.block);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::MecConv, mec)
