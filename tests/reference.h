// Plain-loop reference convolution for checking convkit kernels.
//
// Deliberately simple: one output element at a time, double accumulation,
// explicit bounds checks for (4-sided, zero) padding. It computes its own
// output size and does not call into the library, so a bug in
// ConvShape::out_h()/out_w() cannot hide a bug in a kernel.
#pragma once

#include <convkit/convkit.h>

#include <cstdint>
#include <vector>

namespace convkit_test {

// floor((H + pad_top + pad_bottom - dilation_h*(KH-1) - 1) / stride_h) + 1,
// and the same along W; 0 when the (dilated) kernel does not fit the padded
// input, i.e. for shapes the library must reject. Strides must be >= 1.
int64_t reference_out_h(const convkit::ConvShape& s);
int64_t reference_out_w(const convkit::ConvShape& s);

// Multiply-accumulates of one forward pass: N*M*Ho*Wo*(C/groups)*KH*KW.
int64_t reference_macs(const convkit::ConvShape& s);

// out (resized to N x M x Ho x Wo, NCHW) = conv(input, weights) [+ bias]
// [then max(0, .)]. input is N x C x H x W, weights M x C/groups x KH x KW,
// bias M floats or null for no bias.
//
// When abs_sum is given it receives, per output element, the sum of |x*w|
// over all terms of that element's dot product plus |bias|: the magnitude
// that the error bound in tolerance.h scales with. Computing both in one
// pass halves the reference cost.
void reference_conv(const convkit::ConvShape& s, const float* input,
                    const float* weights, const float* bias, bool relu,
                    std::vector<double>& out,
                    std::vector<double>* abs_sum = nullptr);

// Only the per-element sum of |x*w| (+ |bias|); see reference_conv.
void abs_sum_reference(const convkit::ConvShape& s, const float* input,
                       const float* weights, const float* bias,
                       std::vector<double>& abs_sum);

}  // namespace convkit_test
