// 1000 plan create / run / destroy cycles over every kernel. Run natively it
// checks that results stay the same cycle after cycle; in the asan build
// (tools/sanitize.sh) LeakSanitizer fails the process on any leak.
#include "test_util.h"

#include <convkit/convkit.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace convkit_test {
namespace {

TEST(Leaks, ThousandPlanCyclesGiveStableResults) {
    const convkit::ConvShape s = Shape(1, 6, 9, 10).out(8).kernel(3, 3).pad(1);
    const ConvData data = make_conv_data(s, 31);
    const std::vector<std::string> names = kernel_names();
    std::map<std::string, std::vector<float>> first;
    for (int cycle = 0; cycle < 1000; ++cycle) {
        convkit::Options o;
        o.kernel = names[size_t(cycle) % names.size()];
        o.threads = 1 + cycle % 2;
        o.epilogue = convkit::Epilogue::Bias;
        const convkit::Plan plan(s, data.weights.data(), data.bias.data(), o);
        std::vector<float> output = nan_filled(size_t(s.output_elements()));
        plan.run(data.input.data(), output.data());
        auto [it, inserted] = first.emplace(o.kernel, output);
        if (!inserted) ASSERT_TRUE(bitwise_equal(output, it->second)) << o.kernel << ", cycle " << cycle;
    }
}

}  // namespace
}  // namespace convkit_test
