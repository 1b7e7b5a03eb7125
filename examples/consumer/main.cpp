// Uses an installed convkit: one small padded, strided convolution with bias,
// run by every kernel this CPU can run, checked against a plain loop.
// Prints one line per kernel and OK; exits 1 on any mismatch.
#include <convkit/convkit.h>

#include <cstdio>
#include <vector>

namespace {

// Plain-loop NCHW convolution with bias (groups = 1, dilation 1).
std::vector<float> naive_conv(const convkit::ConvShape& s, const std::vector<float>& in,
                              const std::vector<float>& w, const std::vector<float>& bias) {
    const int64_t oh = s.out_h(), ow = s.out_w();
    std::vector<float> out(s.output_elements());
    for (int64_t m = 0; m < s.M; ++m)
        for (int64_t y = 0; y < oh; ++y)
            for (int64_t x = 0; x < ow; ++x) {
                double sum = bias[m];
                for (int64_t c = 0; c < s.C; ++c)
                    for (int64_t ky = 0; ky < s.KH; ++ky)
                        for (int64_t kx = 0; kx < s.KW; ++kx) {
                            const int64_t iy = y * s.stride_h + ky - s.pad_top;
                            const int64_t ix = x * s.stride_w + kx - s.pad_left;
                            if (iy < 0 || iy >= s.H || ix < 0 || ix >= s.W) continue;
                            sum += double(in[(c * s.H + iy) * s.W + ix]) *
                                   w[((m * s.C + c) * s.KH + ky) * s.KW + kx];
                        }
                out[(m * oh + y) * ow + x] = float(sum);
            }
    return out;
}

// Small integers: every product and sum is exact in float.
std::vector<float> pattern(size_t count, int seed) {
    std::vector<float> v(count);
    for (size_t i = 0; i < count; ++i) v[i] = float(int((i * 7 + seed) % 5) - 2);
    return v;
}

bool is_supported(const std::string& isa) {
    for (const std::string& s : convkit::supported_isas())
        if (s == isa) return true;
    return false;
}

}  // namespace

int main() {
    // N=1, C=3, 9x10 input, M=8 outputs, 3x3 kernel, stride 2, pad 1.
    convkit::ConvShape shape = convkit::make_shape(1, 3, 9, 10, 8, 3, 2, 1);
    const std::vector<float> input = pattern(shape.input_elements(), 1);
    const std::vector<float> weights = pattern(shape.weight_elements(), 2);
    const std::vector<float> bias = pattern(shape.M, 3);
    const std::vector<float> expected = naive_conv(shape, input, weights, bias);

    int failures = 0, runs = 0;
    for (const convkit::KernelInfo& k : convkit::kernels()) {
        if (!is_supported(k.isa)) continue;
        convkit::Options options;
        options.kernel = k.name;
        options.isa = k.isa;
        options.epilogue = convkit::Epilogue::Bias;
        std::vector<float> output(shape.output_elements());
        convkit::Plan plan(shape, weights.data(), bias.data(), options);
        plan.run(input.data(), output.data());
        int wrong = 0;
        for (size_t i = 0; i < output.size(); ++i) wrong += output[i] != expected[i];
        std::printf("%-13s %-6s %s\n", k.name.c_str(), k.isa.c_str(), wrong ? "MISMATCH" : "ok");
        failures += wrong != 0;
        ++runs;
    }
    if (runs == 0 || failures) {
        std::printf("FAILED: %d of %d kernels\n", failures, runs);
        return 1;
    }
    std::printf("OK: %d kernels match the plain loop\n", runs);
    return 0;
}
