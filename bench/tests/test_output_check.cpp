// check_against_direct (the oneDNN peer's verification) accepts convkit's own
// result and rejects an output with one element off by more than the bound,
// or a NaN. Exit 0 when all hold.
#include "measure.h"
#include "output_check.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

using namespace convkit_bench;

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "FAIL: %s\n", what);
    ++failures;
}

bool rejected(const Layer& layer, const std::vector<float>& w, const std::vector<float>& in,
              const std::vector<float>& out) {
    try {
        check_against_direct(layer, w, in, out, "test");
    } catch (const std::runtime_error& e) {
        return std::string(e.what()).find("test differs") != std::string::npos;
    }
    return false;
}

}  // namespace

int main() {
    Layer layer{"small", "3x3", convkit::make_shape(1, 8, 10, 12, 16, 3, 1, 1)};
    Buffers io = make_buffers(layer);
    const std::vector<float> weights = make_weights(layer);
    convkit::Options opt;
    opt.kernel = "im2col";  // another kernel: differs from direct only by rounding
    convkit::Plan(layer.shape, weights.data(), nullptr, opt).run(io.input.data(), io.output.data());
    expect(!rejected(layer, weights, io.input, io.output), "im2col's output is accepted");

    std::vector<float> off = io.output;
    off[37] += 1e-3f * (1 + std::fabs(off[37]));
    expect(rejected(layer, weights, io.input, off), "one element off by 1e-3 is rejected");

    std::vector<float> nan = io.output;
    nan[5] = std::nanf("");
    expect(rejected(layer, weights, io.input, nan), "a NaN is rejected");
    if (!failures) std::printf("output_check: accepts im2col, rejects an error and a NaN\n");
    return failures ? 1 : 0;
}
