// Per-element error bound for comparing a float32 convolution kernel with the
// double reference in reference.h.
//
// Why this bound is rigorous
// --------------------------
// Each output element is a dot product of K terms,
//     K = (C/groups) * KH * KW  (+1 when a bias is added),
// where the bias counts as one more term x*w with w = 1. (Taps that fall in the
// zero padding contribute exact zeros; counting them in K only loosens the
// bound.) The standard result for floating-point dot products (Higham,
// "Accuracy and Stability of Numerical Algorithms", 2nd ed., sec. 3.1) is
//
//     |computed - exact| <= gamma_K * sum_i |x_i * w_i|,
//     gamma_K = K*u / (1 - K*u),   u = 2^-24 (float32 unit roundoff),
//
// valid for *any* order and association of the additions: whatever tree the
// kernel uses (serial loop, vector lanes summed at the end, tiles, split
// reductions across threads, Halide's reassociation of RVars / rfactor), each
// term passes through at most one rounded multiply and K-1 rounded additions,
// so it carries a relative perturbation of at most (1+u)^K - 1 <= gamma_K.
// A fused multiply-add rounds once instead of twice, so it only removes
// rounding steps and the bound still holds. ReLU is max(0, .), which is
// 1-Lipschitz: |relu(a) - relu(b)| <= |a - b|, so it cannot increase the error.
//
// Assumptions: no overflow (inputs are in [-1, 1] and K is small), and every
// output is evaluated as a sum of the products x_i*w_i (direct convolution,
// im2col + GEMM, any blocking or vectorization). Transform-based lowerings
// (Winograd, FFT) evaluate a different expression and need their own bound.
//
// Small extra terms:
// - gamma_K in double covers the reference's own rounding (its products are
//   exact in double, its K-1 additions are not) and the rounding of the
//   comparison itself; it is ~2^-29 times the float32 term.
// - kAbsoluteFloor covers underflow: gradual underflow or flush-to-zero loses
//   at most 2^-126 per operation, i.e. < 1e-33 for any K used here, and lets an
//   exact zero (e.g. an output that only sees padding and no bias) compare
//   equal to zero.
#pragma once

#include <convkit/convkit.h>

#include <cstdint>

namespace convkit_test {

constexpr double kFloatUnitRoundoff = 0x1p-24;
constexpr double kDoubleUnitRoundoff = 0x1p-53;
constexpr double kAbsoluteFloor = 1e-30;

// gamma_k = k*u / (1 - k*u).
inline double gamma_bound(int64_t k, double unit_roundoff) {
    const double ku = static_cast<double>(k) * unit_roundoff;
    return ku / (1.0 - ku);
}

// Number of terms in one output element's dot product.
inline int64_t reduction_length(const convkit::ConvShape& s, bool with_bias) {
    return (s.C / s.groups) * s.KH * s.KW + (with_bias ? 1 : 0);
}

// Largest allowed |got - reference| for an element whose dot product has
// `terms` terms with sum of |x_i*w_i| equal to abs_sum.
inline double error_bound(int64_t terms, double abs_sum) {
    const double gamma = gamma_bound(terms, kFloatUnitRoundoff) +
                         gamma_bound(terms, kDoubleUnitRoundoff);
    return gamma * abs_sum + kAbsoluteFloor;
}

}  // namespace convkit_test
