// The calling convention every convolution kernel shares, as a generator base
// class: the buffers and scalars (see conv_common.h for the views), the
// register-blocked product all lowerings use, and the epilogue.
#pragma once

#include <functional>
#include <string>

#include "conv_common.h"
#include "region_kind.h"

namespace convkit_gen {

// A lowering's view of the input as the product's B operand:
// source(c, kx, ky, x, y, g, n) multiplies weights(lane, c, kx, ky, block, g).
using SourceFn = std::function<Expr(Expr c, Expr kx, Expr ky, Expr x, Expr y, Expr g, Expr n)>;

template <typename T>
class ConvGenerator : public Generator<T> {
public:
    GeneratorInput<Buffer<float, 5>> input{"input"};      // (x, y, c, g, n)
    GeneratorInput<Buffer<float, 6>> weights{"weights"};  // (lane, c, kx, ky, block, g)
    GeneratorInput<Buffer<float, 3>> bias{"bias"};        // (lane, block, g), packed like weights
    GeneratorInput<int> stride_x{"stride_x"}, stride_y{"stride_y"};
    GeneratorInput<int> dilation_x{"dilation_x"}, dilation_y{"dilation_y"};
    GeneratorInput<int> pad_left{"pad_left"}, pad_top{"pad_top"};
    GeneratorInput<bool> relu{"relu"};
    GeneratorInput<int> threads{"threads"};
    // The output region's kind (region_kind.h). Default: any region.
    GeneratorInput<int> region{"region", convkit_abi::kBorder, convkit_abi::kInterior, convkit_abi::kMaskedRows};
    GeneratorOutput<Buffer<float, 5>> output{"output"};  // (x, y, m, g, n)

    // The layer an autoscheduler tunes for (tools/autoschedule_baseline.sh):
    // input estimate_size^2, C = M = estimate_channels, estimate_kernel^2
    // taps, stride 1, "same" padding. Unused by the hand-written schedules.
    GeneratorParam<int> estimate_size{"estimate_size", 56};
    GeneratorParam<int> estimate_channels{"estimate_channels", 64};
    GeneratorParam<int> estimate_kernel{"estimate_kernel", 3};

protected:
    ConvVars v;

    // The input channel and kernel tap of a point of a product's reduction.
    struct TapIndex {
        Expr c, kx, ky;
    };

    Expr in_w() { return input.dim(0).extent(); }
    Expr in_h() { return input.dim(1).extent(); }
    Expr kernel_w() { return weights.dim(2).extent(); }
    Expr kernel_h() { return weights.dim(3).extent(); }
    ConvGeometry geometry() {
        return ConvGeometry{stride_x, stride_y, dilation_x, dilation_y, kernel_w(), kernel_h()};
    }
    // The reduction over (c, kx, ky) of one group.
    RDom taps() { return RDom(0, input.dim(2).extent(), 0, kernel_w(), 0, kernel_h(), "r"); }

    // The shared GEMM building block: for B output channels (lane) of packed
    // weight block `block`, at output pixel (x, y):
    //   acc(x, y, lane, block, g, n) = bias + sum_r source(r, x, y, g, n) * weights(lane, r, block, g)
    // Every lowering supplies its own `source`; schedules/gemm_schedule.h
    // register-blocks it.
    Func blocked_product(const std::string& name, const RDom& r, const SourceFn& source) {
        return blocked_product(name, TapIndex{r.x, r.y, r.z}, source);
    }

    // The same product over a reduction domain that is not (c, kx, ky)
    // itself: `tap` names the input channel and kernel tap of its points.
    Func blocked_product(const std::string& name, const TapIndex& tap, const SourceFn& source) {
        Func acc(name);
        acc(v.x, v.y, v.lane, v.block, v.g, v.n) = bias(v.lane, v.block, v.g);
        acc(v.x, v.y, v.lane, v.block, v.g, v.n) += source(tap.c, tap.kx, tap.ky, v.x, v.y, v.g, v.n) *
                                                    weights(v.lane, tap.c, tap.kx, tap.ky, v.block, v.g);
        return acc;
    }

    // The same product with the kernel taps as output dimensions instead of
    // reduction ones (the kn2row view: each tap is a 1x1 convolution):
    //   acc(x, y, lane, block, g, n, kx, ky) = sum_c source(c, x, y, g, n) * weights(lane, c, kx, ky, block, g)
    // over r = (c) alone; no bias (the taps are summed later).
    Func blocked_tap_product(const std::string& name, const RDom& r, const Var& kx, const Var& ky,
                             const SourceFn& source) {
        Func acc(name);
        acc(v.x, v.y, v.lane, v.block, v.g, v.n, kx, ky) = 0.0f;
        acc(v.x, v.y, v.lane, v.block, v.g, v.n, kx, ky) +=
            source(r.x, kx, ky, v.x, v.y, v.g, v.n) * weights(v.lane, r.x, kx, ky, v.block, v.g);
        return acc;
    }

    // The product at output channel m of the group.
    Expr at_channel(const Func& acc, int block) {
        return acc(v.x, v.y, v.m % block, v.m / block, v.g, v.n);
    }

    void define_output(const Expr& sum) {
        output(v.x, v.y, v.m, v.g, v.n) = select(relu, max(sum, 0.0f), sum);
    }

    // The bias of output channel m of group g.
    Expr bias_at(const Expr& m, const Expr& g, int block) { return bias(m % block, m / block, g); }

    // Halide's autoschedulers as a baseline: with the generator's
    // `autoscheduler` parameter set, a lowering keeps its algorithm, skips
    // its own schedule, and the autoscheduler gets one layer's estimates.
    bool autoscheduled(int block) {
        if (!this->using_autoscheduler()) return false;
        const int size = estimate_size, channels = estimate_channels, k = estimate_kernel;
        const int blocks = (channels + block - 1) / block;
        input.set_estimates({{0, size}, {0, size}, {0, channels}, {0, 1}, {0, 1}});
        weights.set_estimates({{0, block}, {0, channels}, {0, k}, {0, k}, {0, blocks}, {0, 1}});
        bias.set_estimates({{0, block}, {0, blocks}, {0, 1}});
        output.set_estimates({{0, size}, {0, size}, {0, channels}, {0, 1}, {0, 1}});
        for (auto* unit : {&stride_x, &stride_y, &dilation_x, &dilation_y}) unit->set_estimate(1);
        pad_left.set_estimate(k / 2);
        pad_top.set_estimate(k / 2);
        relu.set_estimate(false);
        threads.set_estimate(1);
        region.set_estimate(convkit_abi::kBorder);
        return true;
    }

    // Packed operands hold `block` lanes; innermost dimensions are dense,
    // which the vector loads rely on.
    void constrain_buffers(int block) {
        weights.dim(0).set_extent(block);
        bias.dim(0).set_extent(block);
        input.dim(0).set_stride(1);
        weights.dim(0).set_stride(1);
        bias.dim(0).set_stride(1);
        output.dim(0).set_stride(1);
    }
};

}  // namespace convkit_gen
