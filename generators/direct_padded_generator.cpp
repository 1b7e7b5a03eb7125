// Direct convolution on a zero-padded, channel-blocked copy of the input:
// the `direct` algorithm, trading the input's padded size in extra memory
// for a hot loop that never checks padding and reads the input in the
// order it is stored.
//
// `direct` reads the caller's NCHW input in place: its hot loop walks the
// input channels innermost, one plane apart each, and keeps padding out of
// the loop by splitting the output into regions with register tiles of
// their own. Here the input is first copied once, zero-padded, into blocks
// of 16 channels stored innermost (oneDNN's nChw16c layout):
//   blocked(ci, x, y, cb, g, n) = input(x, y, cb*16 + ci, g, n), zero outside.
// The reduction walks a block's 16 channels innermost, then the kernel
// taps, then the blocks, so one block's few input rows serve all the taps
// from L1 and every output tile is an interior tile.
#include "conv_generator.h"
#include "direct_schedule.h"

namespace convkit_gen {
namespace {

// Input channels per block of the copy: a 64-byte cache line of floats.
constexpr int kChannelBlock = 16;


class DirectPaddedConv : public ConvGenerator<DirectPaddedConv> {
public:
    void generate() {
        const TargetFacts facts = target_facts(get_target());
        const OutputTiling tiling = direct_channel_tiling(facts);

        /* THE ALGORITHM */
        // Layers with fewer channels than a block make it their block size.
        Expr channels = input.dim(2).extent();
        Expr channel_block = min(channels, kChannelBlock);
        Expr blocks = (channels + channel_block - 1) / channel_block;
        Var ci("ci"), x("bx"), y("by"), cb("cb"), g("bg"), n("bn");
        Func padded = zero_padded(input, in_w(), in_h());
        Func blocked("input_blocked");
        Expr c = cb * channel_block + ci;
        blocked(ci, x, y, cb, g, n) = select(c < channels, padded(x, y, min(c, channels - 1), g, n), 0.0f);

        // (ci, kx, ky, cb), innermost first. Channels past the last (a
        // partial block) read zeros, and the weights of the last channel.
        RDom r(0, channel_block, 0, kernel_w(), 0, kernel_h(), 0, blocks, "r");
        Expr tap_channel = min(r[3] * channel_block + r[0], channels - 1);
        auto product_named = [&](const std::string& name) {
            return blocked_product(name, TapIndex{tap_channel, r.y, r.z},
                                   [&](Expr, Expr kx, Expr ky, Expr x, Expr y, Expr g, Expr n) {
                return blocked(r[0], x * stride_x + kx * dilation_x - pad_left,
                               y * stride_y + ky * dilation_y - pad_top, r[3], g, n);
            });
        };
        // Maps exactly as wide as a row tile (padded_row_tilings) compute the
        // same product in a Func of their own: a Func has one storage bound
        // and compute level, and a row tile's differ from the 7x2 tile's.
        Func product = product_named("conv_blocked");
        const std::vector<OutputTiling> row_tilings =
            this->using_autoscheduler() ? std::vector<OutputTiling>{} : padded_row_tilings(facts);
        const Expr width = output.dim(0).extent();
        std::vector<Func> row_products;
        Expr sum = at_channel(product, tiling.block);
        for (const OutputTiling& row : row_tilings) {
            row_products.push_back(product_named("conv_blocked_row" + std::to_string(row.tile_x)));
            sum = select(width == row.tile_x, at_channel(row_products.back(), row.block), sum);
        }
        define_output(sum);

        /* THE SCHEDULE */
        if (autoscheduled(tiling.block)) return constrain_buffers(tiling.block);
        Func out = output;
        const int columns = kPaddedSegmentTiles * tiling.tile_x;
        ProductFuncs funcs{{product}, output, output, r, v, threads, geometry()};
        // Each row tile's width, then the other widths, as nested
        // specializations on `width == w` and `width != w`: each simplifies
        // the output's selects to its own product.
        Stage rest = out;
        for (size_t i = 0; i < row_tilings.size(); ++i) {
            const OutputTiling& row = row_tilings[i];
            ProductFuncs rows{{row_products[i]}, output, output, r, v, threads, geometry()};
            schedule_segmented_product(rows, rest.specialize(width == row.tile_x), row, row.tile_x, facts);
            Stage other = rest.specialize(width != row.tile_x);
            rest.specialize_fail("convkit: unreachable");
            rest = other;
        }
        schedule_segmented_product(funcs, rest, tiling, columns, facts);
        schedule_blocked_copy(blocked, channels >= kChannelBlock, kChannelBlock, blocks * input.dim(3).extent(),
                              threads);
        constrain_buffers(tiling.block);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::DirectPaddedConv, direct_padded)
