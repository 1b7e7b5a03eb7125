// libFuzzer target: plan creation and run over random small shapes and
// options. Invalid shapes must be refused with convkit::Error (nothing else
// may escape, nothing may crash); valid ones must match the double-precision
// reference within the derived error bound, else the input is a finding.
//
//   build/asan/tests/fuzz/convkit_fuzz_plan -max_total_time=600 corpus/
#include <convkit/convkit.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "reference.h"
#include "tolerance.h"

namespace {

// Reads bytes as small integers; zeros once the input runs out.
class ByteReader {
public:
    ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    // A value in [lo, lo + span), span <= 256.
    int64_t next(int64_t lo, int64_t span) { return lo + (at_ < size_ ? data_[at_++] : 0) % span; }

private:
    const uint8_t* data_;
    size_t size_, at_ = 0;
};

// A valid small shape (groups among 1, 2 and depthwise; kernels that may
// not fit the input are refused by validate()), then in a quarter of the
// inputs one field overwritten with a bad value, so refusals are fuzzed too.
convkit::ConvShape read_shape(ByteReader& r) {
    convkit::ConvShape s;
    s.N = r.next(1, 3), s.C = r.next(1, 9), s.H = r.next(1, 14), s.W = r.next(1, 14);
    s.KH = r.next(1, 5), s.KW = r.next(1, 5);
    s.stride_h = r.next(1, 3), s.stride_w = r.next(1, 3);
    s.pad_top = r.next(0, 3), s.pad_bottom = r.next(0, 3), s.pad_left = r.next(0, 3), s.pad_right = r.next(0, 3);
    s.dilation_h = r.next(1, 2), s.dilation_w = r.next(1, 2);
    const int64_t groups[] = {1, s.C % 2 == 0 ? 2 : 1, s.C};
    s.groups = groups[r.next(0, 3)];
    s.M = s.groups * r.next(1, 9);
    if (r.next(0, 4) == 0) {
        int64_t convkit::ConvShape::*const fields[] = {
            &convkit::ConvShape::N, &convkit::ConvShape::C, &convkit::ConvShape::W, &convkit::ConvShape::M,
            &convkit::ConvShape::KH, &convkit::ConvShape::stride_w, &convkit::ConvShape::pad_left,
            &convkit::ConvShape::dilation_h, &convkit::ConvShape::groups};
        const int64_t bad[] = {0, -1, 3, int64_t(1) << 31};
        s.*fields[r.next(0, 9)] = bad[r.next(0, 4)];
    }
    return s;
}

convkit::Options read_options(ByteReader& r) {
    static const std::vector<convkit::KernelInfo> all = convkit::kernels();
    convkit::Options o;
    const int64_t pick = r.next(0, int64_t(all.size()) + 1);
    o.kernel = pick == int64_t(all.size()) ? "auto" : all[size_t(pick)].name;
    o.threads = int(r.next(1, 3));
    o.epilogue = convkit::Epilogue(r.next(0, 3));
    o.workspace_limit = r.next(0, 2) ? convkit::kUnlimited : size_t(r.next(0, 256)) * 64;
    o.deterministic = r.next(0, 2);
    return o;
}

std::vector<float> random_values(size_t count, std::mt19937& rng) {
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> v(count);
    for (float& x : v) x = uniform(rng);
    return v;
}

// Tallies printed at exit: how many inputs reached each outcome.
size_t checked_runs = 0, refused_shapes = 0, refused_plans = 0;

void print_tallies() {
    std::fprintf(stderr, "fuzz_plan: %zu runs matched the reference, %zu invalid shapes refused, "
                 "%zu plans refused (e.g. a named kernel over the budget)\n",
                 checked_runs, refused_shapes, refused_plans);
}

[[noreturn]] void finding(const convkit::ConvShape& s, const convkit::Options& o, const char* what) {
    std::fprintf(stderr, "FINDING: %s: %s kernel=%s threads=%d\n", what, s.to_string().c_str(),
                 o.kernel.c_str(), o.threads);
    std::abort();
}

void check_against_reference(const convkit::ConvShape& s, const convkit::Options& o, std::mt19937& rng) {
    const std::vector<float> input = random_values(size_t(s.input_elements()), rng);
    const std::vector<float> weights = random_values(size_t(s.weight_elements()), rng);
    const std::vector<float> bias = random_values(size_t(s.M), rng);
    std::vector<float> output(size_t(s.output_elements()), std::numeric_limits<float>::quiet_NaN());
    try {
        const convkit::Plan plan(s, convkit::Span<const float>(weights), convkit::Span<const float>(bias), o);
        plan.run(convkit::Span<const float>(input), convkit::Span<float>(output));
    } catch (const convkit::Error&) {
        ++refused_plans;  // e.g. a named kernel over the workspace limit: fine, nothing written
        return;
    }
    const bool with_bias = o.epilogue != convkit::Epilogue::None;
    std::vector<double> expected, abs_sum;
    convkit_test::reference_conv(s, input.data(), weights.data(), with_bias ? bias.data() : nullptr,
                                 o.epilogue == convkit::Epilogue::BiasRelu, expected, &abs_sum);
    const int64_t terms = convkit_test::reduction_length(s, with_bias);
    for (size_t i = 0; i < output.size(); ++i) {
        if (!(std::abs(double(output[i]) - expected[i]) <= convkit_test::error_bound(terms, abs_sum[i]))) {
            finding(s, o, "output differs from the reference");
        }
    }
    ++checked_runs;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::atexit(print_tallies);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ByteReader reader(data, size);
    const convkit::ConvShape shape = read_shape(reader);
    const convkit::Options options = read_options(reader);
    std::mt19937 rng(uint32_t(reader.next(0, 256)));
    try {
        shape.validate();
    } catch (const convkit::Error&) {
        // Invalid: a plan must refuse it too, with convkit::Error.
        const std::vector<float> weights(4096, 1.0f);
        try {
            convkit::Plan plan(shape, weights.data(), weights.data(), options);
        } catch (const convkit::Error&) {
            ++refused_shapes;
            return 0;
        }
        finding(shape, options, "invalid shape accepted by Plan");
    }
    check_against_reference(shape, options, rng);
    return 0;
}
