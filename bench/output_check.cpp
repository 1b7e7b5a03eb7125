#include "output_check.h"

#include <convkit/convkit.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace convkit_bench {
namespace {

std::vector<float> direct_conv(const convkit::ConvShape& shape, const std::vector<float>& weights,
                               const std::vector<float>& input) {
    convkit::Options opt;
    opt.kernel = "direct";
    std::vector<float> out(static_cast<size_t>(shape.output_elements()));
    convkit::Plan(shape, weights.data(), nullptr, opt).run(input.data(), out.data());
    return out;
}

std::vector<float> absolute(std::vector<float> v) {
    for (float& x : v) x = std::fabs(x);
    return v;
}

double gamma_of(const convkit::ConvShape& s) {
    const double u = std::ldexp(1.0, -24);
    const double k = double(s.C / s.groups * s.KH * s.KW);
    return k * u / (1 - k * u);
}

struct Worst {
    size_t index = 0;
    double excess = 0, diff = 0, bound = 0;  // excess = diff / bound
};

Worst worst_element(const std::vector<float>& got, const std::vector<float>& want,
                    const std::vector<float>& abs_sum, double gamma) {
    Worst w;
    for (size_t i = 0; i < got.size(); ++i) {
        double diff = std::fabs(double(got[i]) - double(want[i]));
        double bound = 2 * gamma * (1 + gamma) * abs_sum[i] + 1e-30;
        double excess = std::isnan(diff) ? INFINITY : diff / bound;
        if (excess > w.excess) w = Worst{i, excess, diff, bound};
    }
    return w;
}

}  // namespace

void check_against_direct(const Layer& layer, const std::vector<float>& weights,
                          const std::vector<float>& input, const std::vector<float>& output,
                          const std::string& who) {
    const convkit::ConvShape& s = layer.shape;
    std::vector<float> want = direct_conv(s, weights, input);
    std::vector<float> abs_sum = direct_conv(s, absolute(weights), absolute(input));
    Worst w = worst_element(output, want, abs_sum, gamma_of(s));
    if (w.excess <= 1) return;
    std::ostringstream msg;
    msg << who << " differs from convkit's direct kernel on layer " << layer.name << " ("
        << s.to_string() << "): output element " << w.index << " is " << output[w.index]
        << ", direct gives " << want[w.index] << " (|diff| " << w.diff << " > bound " << w.bound
        << ")";
    throw std::runtime_error(msg.str());
}

}  // namespace convkit_bench
