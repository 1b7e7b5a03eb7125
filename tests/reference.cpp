#include "reference.h"

#include <algorithm>
#include <cmath>

namespace convkit_test {

using convkit::ConvShape;

int64_t reference_out_h(const ConvShape& s) {
    const int64_t room = s.H + s.pad_top + s.pad_bottom - (s.dilation_h * (s.KH - 1) + 1);
    return room < 0 ? 0 : room / s.stride_h + 1;  // no truncation toward zero
}

int64_t reference_out_w(const ConvShape& s) {
    const int64_t room = s.W + s.pad_left + s.pad_right - (s.dilation_w * (s.KW - 1) + 1);
    return room < 0 ? 0 : room / s.stride_w + 1;
}

int64_t reference_macs(const ConvShape& s) {
    return s.N * s.M * reference_out_h(s) * reference_out_w(s) *
           (s.C / s.groups) * s.KH * s.KW;
}

namespace {

struct Sums {
    double value = 0.0;      // sum of x*w (+ bias)
    double magnitude = 0.0;  // sum of |x*w| (+ |bias|)
};

// The dot product behind output element (n, m, oy, ox). Every float*float
// product is exact in double (24 + 24 significand bits < 53).
Sums output_element(const ConvShape& s, const float* input, const float* weights,
                    const float* bias, int64_t n, int64_t m, int64_t oy, int64_t ox) {
    const int64_t channels_per_group = s.C / s.groups;
    const int64_t group = m / (s.M / s.groups);
    Sums sums;
    if (bias) {
        sums.value = bias[m];
        sums.magnitude = std::fabs(static_cast<double>(bias[m]));
    }
    for (int64_t c = 0; c < channels_per_group; ++c) {
        const int64_t ic = group * channels_per_group + c;
        for (int64_t ky = 0; ky < s.KH; ++ky) {
            const int64_t iy = oy * s.stride_h - s.pad_top + ky * s.dilation_h;
            if (iy < 0 || iy >= s.H) continue;  // zero padding
            for (int64_t kx = 0; kx < s.KW; ++kx) {
                const int64_t ix = ox * s.stride_w - s.pad_left + kx * s.dilation_w;
                if (ix < 0 || ix >= s.W) continue;  // zero padding
                const double x = input[((n * s.C + ic) * s.H + iy) * s.W + ix];
                const double w = weights[((m * channels_per_group + c) * s.KH + ky) * s.KW + kx];
                sums.value += x * w;
                sums.magnitude += std::fabs(x * w);
            }
        }
    }
    return sums;
}

}  // namespace

void reference_conv(const ConvShape& s, const float* input, const float* weights,
                    const float* bias, bool relu, std::vector<double>& out,
                    std::vector<double>* abs_sum) {
    const int64_t out_h = reference_out_h(s);
    const int64_t out_w = reference_out_w(s);
    const size_t count = static_cast<size_t>(s.N * s.M * out_h * out_w);
    out.assign(count, 0.0);
    if (abs_sum) abs_sum->assign(count, 0.0);

    size_t index = 0;
    for (int64_t n = 0; n < s.N; ++n)
        for (int64_t m = 0; m < s.M; ++m)
            for (int64_t oy = 0; oy < out_h; ++oy)
                for (int64_t ox = 0; ox < out_w; ++ox, ++index) {
                    const Sums sums = output_element(s, input, weights, bias, n, m, oy, ox);
                    out[index] = relu ? std::max(sums.value, 0.0) : sums.value;
                    if (abs_sum) (*abs_sum)[index] = sums.magnitude;
                }
}

void abs_sum_reference(const ConvShape& s, const float* input, const float* weights,
                       const float* bias, std::vector<double>& abs_sum) {
    std::vector<double> unused;
    reference_conv(s, input, weights, bias, /*relu=*/false, unused, &abs_sum);
}

}  // namespace convkit_test
