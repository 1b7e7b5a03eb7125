// The kn2row family (Vasudevan, Anderson, Gregg 2017): a KHxKW convolution as
// KH*KW 1x1 convolutions, one per kernel tap, whose results are shifted by
// the tap's offset and summed. Per tap t = (kx, ky):
//   T_t(x', y', m) = sum_c W(m, c, kx, ky) * input(x', y', c)     (a GEMM)
//   out(x, y, m)  += T_t(x*sx + kx*dx - pad_left, y*sy + ky*dy - pad_top, m)
// with taps that land in the padding contributing zero (clipped exactly at
// row and image ends). Variants, by what they keep in memory:
//   "kn2row": one GEMM for all taps into T (KH*KW*M*H*W), then shift-add;
//   "aa":     one tap's T at a time (M*H*W), accumulated into the output;
//   "as":     each tap's GEMM accumulated straight into the shifted output
//             view, no temporary: the 2-D view clips at row ends, so the
//             wrap-around of the paper's flat-pointer version cannot occur.
// Stride > 1 (undefined in the paper): T is computed at every input position
// and the strided outputs pick theirs; the result is exact, the work is
// sx*sy times that of the outputs.
#include "conv_generator.h"
#include "gemm_schedule.h"

namespace convkit_gen {
namespace {

class Kn2rowConv : public ConvGenerator<Kn2rowConv> {
public:
    GeneratorParam<std::string> schedule_name{"schedule", "kn2row"};  // "kn2row", "aa", "as"

    void generate() {
        const TargetFacts facts = target_facts(get_target());
        const OutputTiling tiling = channel_tiling(facts);
        const int block = tiling.block;
        const std::string variant = schedule_name;
        if (variant != "kn2row" && variant != "aa" && variant != "as") {
            throw std::invalid_argument("unknown kn2row variant '" + variant + "'");
        }

        /* THE ALGORITHM */
        Var kx("kx"), ky("ky");
        RDom channels(0, input.dim(2).extent(), "rc");
        Func image = unpadded(input, in_w(), in_h());
        Func tap_sums = blocked_tap_product("kn2row_gemm", channels, kx, ky,
            [&](Expr c, Expr, Expr, Expr x, Expr y, Expr g, Expr n) { return image(x, y, c, g, n); });
        // The stored per-tap products (the temporary T); the schedule
        // computes tap_sums per register tile of it.
        Func taps_product("kn2row_taps");
        taps_product(v.x, v.y, v.lane, v.block, v.g, v.n, kx, ky) = tap_sums(v.x, v.y, v.lane, v.block, v.g, v.n, kx, ky);

        // "as" sums channels and taps straight into the output (taps outer,
        // channels inner: one 1x1 GEMM per tap); the others sum the taps of
        // the stored per-tap products.
        const bool straight = variant == "as";
        RDom reduction = straight ? RDom(0, input.dim(2).extent(), 0, kernel_w(), 0, kernel_h(), "rall")
                                  : RDom(0, kernel_w(), 0, kernel_h(), "rt");
        RVar tap_x = straight ? reduction.y : reduction.x, tap_y = straight ? reduction.z : reduction.y;
        Expr src_x = v.x * stride_x + tap_x * dilation_x - pad_left;
        Expr src_y = v.y * stride_y + tap_y * dilation_y - pad_top;
        Expr m = v.m;
        Expr contribution;
        if (straight) {
            Func padded = zero_padded(input, in_w(), in_h());
            contribution = padded(src_x, src_y, reduction.x, v.g, v.n) *
                           weights(m % block, reduction.x, tap_x, tap_y, m / block, v.g);
        } else {
            Expr inside = src_x >= 0 && src_x < in_w() && src_y >= 0 && src_y < in_h();
            contribution = select(inside,
                                  taps_product(clamp(src_x, 0, in_w() - 1), clamp(src_y, 0, in_h() - 1),
                                               m % block, m / block, v.g, v.n, tap_x, tap_y),
                                  0.0f);
        }
        output(v.x, v.y, v.m, v.g, v.n) = bias_at(m, v.g, block);
        output(v.x, v.y, v.m, v.g, v.n) += contribution;
        Expr sum_so_far = output(v.x, v.y, v.m, v.g, v.n);
        output(v.x, v.y, v.m, v.g, v.n) = select(relu, max(sum_so_far, 0.0f), sum_so_far);

        /* THE SCHEDULE */
        if (autoscheduled(block)) return constrain_buffers(block);
        schedule_accumulation(reduction, tiling.lanes);
        if (variant == "kn2row") {
            schedule_tap_product(taps_product, tap_sums, channels, facts).compute_root();
        } else if (variant == "aa") {
            // One tap's GEMM per iteration of the output's tap loop.
            schedule_tap_product(taps_product, tap_sums, channels, facts).compute_at(output, tap_x);
        }
        constrain_buffers(block);
    }

private:
    // The output: taps outermost (per image and group), then rows in
    // `threads` parallel chunks. The accumulation is vectorized over columns
    // only when the width is a multiple of the vector: a masked tail (the
    // update cannot shift inwards) makes LLVM build masks with 16-bit opmask
    // shifts by 15, which bochs 2.7 mis-executes (tools/bochs/check_binary.sh).
    void schedule_accumulation(const RDom& reduction, int lanes) {
        Var chunk("chunk"), row("row");
        Expr workers = max(1, Expr(threads));
        Expr rows = output.dim(1).extent();
        Expr chunk_rows = max(1, (rows + workers - 1) / workers);
        std::vector<VarOrRVar> order = {v.x, row, v.m, chunk};
        for (int i = 0; i < reduction.dimensions(); ++i) order.push_back(reduction[i]);
        order.push_back(v.g);
        order.push_back(v.n);
        output.update(0)
            .split(v.y, chunk, row, chunk_rows, TailStrategy::GuardWithIf)
            .reorder(order)
            .parallel(chunk);
        // Whole vectors only where the width allows them: no masked tail.
        // (The bias and ReLU stages vectorize with GuardWithIf; their tails
        // need no such masks.)
        Var xo("xo"), xi("xi");
        output.update(0)
            .specialize(output.dim(0).extent() % lanes == 0)
            .split(v.x, xo, xi, lanes, TailStrategy::RoundUp)
            .vectorize(xi);
        for (int stage : {-1, 1}) {
            Stage s = stage < 0 ? Stage(output) : output.update(stage);
            s.split(v.y, chunk, row, chunk_rows, TailStrategy::GuardWithIf)
                .parallel(chunk)
                .split(v.x, xo, xi, lanes, TailStrategy::GuardWithIf)
                .vectorize(xi);
        }
    }

    // The per-tap GEMM, tiled like direct_rows: each register tile is one
    // vector of columns x kTileRows rows x `lanes` output channels (unrolled,
    // their weights broadcast; row_tile_channels), the channel reduction
    // inside it, and is stored as vectors along the rows of T. Maps smaller
    // than a tile take guarded tiles.
    static constexpr int kTileRows = 3;
    Func schedule_tap_product(Func stored, Func sums, const RDom& channels, const TargetFacts& f) {
        const int lanes = row_tile_channels(f, kTileRows);
        Var xo("txo"), xi("txi"), yo("tyo"), yi("tyi"), lo("tlo"), li("tli");
        // Every input position: a fixed size, whatever the taps read.
        stored.bound(v.x, 0, in_w()).bound(v.y, 0, in_h());
        auto tile = [&](Stage s, TailStrategy tail) {
            s.split(v.x, xo, xi, f.vector_lanes, tail)
                .split(v.y, yo, yi, kTileRows, tail)
                .split(v.lane, lo, li, lanes, TailStrategy::GuardWithIf)
                .reorder(xi, yi, li, xo, yo, lo, v.block);
            if (tail == TailStrategy::ShiftInwards) s.vectorize(xi).unroll(yi).unroll(li);
        };
        tile(stored.specialize(in_w() >= f.vector_lanes && in_h() >= kTileRows), TailStrategy::ShiftInwards);
        tile(stored, TailStrategy::GuardWithIf);
        sums.compute_at(stored, xo).store_in(MemoryType::Stack);
        sums.vectorize(v.x, f.vector_lanes, TailStrategy::GuardWithIf).unroll(v.y).unroll(v.lane);
        sums.update()
            .reorder(v.x, v.y, v.lane, channels.x)
            .vectorize(v.x, f.vector_lanes, TailStrategy::GuardWithIf)
            .unroll(v.y)
            .unroll(v.lane);
        return stored;
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::Kn2rowConv, kn2row)
