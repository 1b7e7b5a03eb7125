// ISA dispatch: "auto" runs the best compiled ISA the CPU supports, any
// supported ISA can be forced (the baseline included), and the plan reports
// the ISA that ran.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "reference.h"
#include "test_util.h"

namespace convkit_test {
namespace {

// What the CPU supports, asked independently of the runtime's own detection.
bool cpu_has(const std::string& isa) {
#if defined(__x86_64__)
    if (isa == "avx512") {
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512cd");
    }
    if (isa == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (isa == "sse41") return __builtin_cpu_supports("sse4.1");
#elif defined(__aarch64__)
    if (isa == "neon") return true;
#endif
    return false;
}

std::vector<std::string> compiled_isas() {
    std::vector<std::string> isas;
    for (const convkit::KernelInfo& k : convkit::kernels()) {
        if (std::find(isas.begin(), isas.end(), k.isa) == isas.end()) isas.push_back(k.isa);
    }
    return isas;
}

convkit::ConvShape dispatch_shape() { return Shape(1, 8, 9, 20).out(16).kernel(3, 3).pad(1); }

convkit::Plan make_plan(const std::string& isa, const ConvData& data) {
    convkit::Options options;
    options.isa = isa;
    return convkit::Plan(dispatch_shape(), data.weights.data(), nullptr, options);
}

TEST(Dispatch, SupportedIsasAreTheCompiledOnesTheCpuHasBestFirst) {
    std::vector<std::string> expected;
    for (const char* isa : {"avx512", "avx2", "sse41", "neon"}) {
        const std::vector<std::string> compiled = compiled_isas();
        if (cpu_has(isa) && std::find(compiled.begin(), compiled.end(), isa) != compiled.end()) {
            expected.push_back(isa);
        }
    }
    ASSERT_FALSE(expected.empty()) << "no compiled ISA runs on this CPU";
    EXPECT_EQ(convkit::supported_isas(), expected);
}

TEST(Dispatch, AutoPicksTheBestSupportedIsa) {
    const ConvData data = make_conv_data(dispatch_shape(), 1);
    const convkit::Plan plan = make_plan("auto", data);
    EXPECT_EQ(plan.isa(), convkit::supported_isas().front());
    EXPECT_EQ(plan.kernel().isa, plan.isa());
    // Read by the emulator tests (bochs must pick avx512).
    std::printf("[ dispatch ] auto isa: %s\n", plan.isa().c_str());
}

// Every compiled ISA can be forced exactly when the CPU supports it, and a
// forced plan computes the same convolution.
TEST(Dispatch, ForcingAnIsaRunsItOrExplainsWhyNot) {
    const ConvData data = make_conv_data(dispatch_shape(), 2);
    std::vector<double> expected, abs_sum;
    reference_conv(dispatch_shape(), data.input.data(), data.weights.data(), nullptr, false,
                   expected, &abs_sum);
    for (const std::string& isa : compiled_isas()) {
        SCOPED_TRACE(isa);
        if (!cpu_has(isa)) {
            EXPECT_TRUE(throws_error([&] { make_plan(isa, data); }, {"isa='" + isa + "'", "not supported"}));
            continue;
        }
        const convkit::Plan plan = make_plan(isa, data);
        EXPECT_EQ(plan.isa(), isa);
        std::vector<float> out = nan_filled(size_t(dispatch_shape().output_elements()));
        plan.run(data.input.data(), out.data());
        EXPECT_TRUE(matches_reference(dispatch_shape(), out, expected, abs_sum, false));
    }
}

TEST(Dispatch, UnknownIsaIsRejectedWithTheAlternatives) {
    const ConvData data = make_conv_data(dispatch_shape(), 3);
    EXPECT_TRUE(throws_error([&] { make_plan("avx9000", data); }, {"isa='avx9000'", "available"}));
}

}  // namespace
}  // namespace convkit_test
