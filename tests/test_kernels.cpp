// Every compiled kernel against the reference on every grid shape.
#include "reference.h"
#include "shape_grid.h"
#include "test_util.h"

#include <convkit/convkit.h>
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace convkit_test {
namespace {

using convkit::ConvShape;
using convkit::Epilogue;

class KernelTest : public ::testing::TestWithParam<RunCase> {};

TEST_P(KernelTest, MatchesReferenceAndIsReusable) {
    const RunCase& c = GetParam();
    const ConvShape& s = c.shape;
    ASSERT_EQ(s.out_h(), reference_out_h(s));
    ASSERT_EQ(s.out_w(), reference_out_w(s));

    const ConvData data = make_conv_data(s, static_cast<uint32_t>(c.index));
    const bool with_bias = c.epilogue != Epilogue::None;
    // Without an epilogue the bias must be ignored: pass one in half of those cases.
    const bool pass_bias = with_bias || (c.index / 6) % 2 == 1;
    const convkit::Options options = c.options();
    const convkit::Plan plan(s, data.weights.data(), pass_bias ? data.bias.data() : nullptr,
                             options);
    EXPECT_EQ(plan.kernel().name, c.kernel);
    EXPECT_EQ(plan.isa(), c.isa);
    EXPECT_EQ(plan.threads(), c.threads);

    std::vector<double> expected, abs_sum;
    reference_conv(s, data.input.data(), data.weights.data(),
                   with_bias ? data.bias.data() : nullptr,
                   c.epilogue == Epilogue::BiasRelu, expected, &abs_sum);

    const size_t count = static_cast<size_t>(s.output_elements());
    std::vector<float> first = nan_filled(count);
    plan.run(data.input.data(), first.data());
    EXPECT_TRUE(matches_reference(s, first, expected, abs_sum, with_bias));

    std::vector<float> second = nan_filled(count);
    plan.run(data.input.data(), second.data());
    EXPECT_TRUE(bitwise_equal(first, second)) << "a second run of the same plan differs";
}

INSTANTIATE_TEST_SUITE_P(Grid, KernelTest, ::testing::ValuesIn(run_cases(grid_shapes())),
                         run_case_name);

// ---- The grid itself --------------------------------------------------------

TEST(ShapeGrid, HasAtLeast200Shapes) {
    const size_t count = grid_shapes().size();
    std::cout << "[ grid     ] " << count << " shapes x " << kernel_names().size()
              << " kernels\n";
    RecordProperty("shapes", static_cast<int>(count));
    EXPECT_GE(count, 200u);
}

TEST(ShapeGrid, ShapesAreValidAndSmall) {
    for (const ConvShape& s : grid_shapes()) {
        EXPECT_NO_THROW(s.validate()) << shape_name(s);
        EXPECT_GT(reference_out_h(s), 0) << shape_name(s);
        EXPECT_GT(reference_out_w(s), 0) << shape_name(s);
        EXPECT_LE(reference_macs(s), kMaxGridMacs) << shape_name(s);
    }
}

// Guards the grid against edits that silently drop a feature.
TEST(ShapeGrid, CoversRequiredFeatures) {
    using Predicate = std::function<bool(const ConvShape&)>;
    auto kernel = [](int64_t k) { return [k](const ConvShape& s) { return s.KH == k && s.KW == k; }; };
    auto stride = [](int64_t v) { return [v](const ConvShape& s) { return s.stride_h == v && s.stride_w == v; }; };
    auto channels_in = [](int64_t c) { return [c](const ConvShape& s) { return s.C == c; }; };
    auto channels_out = [](int64_t m) { return [m](const ConvShape& s) { return s.M == m; }; };
    const std::vector<std::pair<std::string, Predicate>> features = {
        {"1x1", kernel(1)}, {"3x3", kernel(3)}, {"5x5", kernel(5)}, {"7x7", kernel(7)},
        {"11x11", kernel(11)},
        {"stride 1", stride(1)}, {"stride 2", stride(2)}, {"stride 4", stride(4)},
        {"anisotropic stride", [](const ConvShape& s) { return s.stride_h != s.stride_w; }},
        {"symmetric padding", [](const ConvShape& s) {
             return s.pad_top > 0 && s.pad_top == s.pad_bottom && s.pad_top == s.pad_left &&
                    s.pad_top == s.pad_right; }},
        {"asymmetric padding", [](const ConvShape& s) {
             return s.pad_top != s.pad_bottom && s.pad_left != s.pad_right; }},
        {"dilation 2", [](const ConvShape& s) { return s.dilation_h == 2 && s.dilation_w == 2; }},
        {"anisotropic dilation", [](const ConvShape& s) { return s.dilation_h != s.dilation_w; }},
        {"groups 2", [](const ConvShape& s) { return s.groups == 2; }},
        {"depthwise", [](const ConvShape& s) { return s.groups > 1 && s.groups == s.C && s.M == s.C; }},
        {"depthwise x2", [](const ConvShape& s) { return s.groups > 1 && s.groups == s.C && s.M == 2 * s.C; }},
        {"batch 1", [](const ConvShape& s) { return s.N == 1; }},
        {"batch 3", [](const ConvShape& s) { return s.N == 3; }},
        {"17x31 input", [](const ConvShape& s) { return s.H == 17 && s.W == 31; }},
        {"1x1 input", [](const ConvShape& s) { return s.H == 1 && s.W == 1; }},
        {"kernel == padded input", [](const ConvShape& s) {
             return s.H + s.pad_top + s.pad_bottom == s.KH && s.W + s.pad_left + s.pad_right == s.KW; }},
        {"C=1", channels_in(1)}, {"C=3", channels_in(3)}, {"C=4", channels_in(4)},
        {"C=16", channels_in(16)}, {"C=32", channels_in(32)},
        {"M=1", channels_out(1)}, {"M=5", channels_out(5)}, {"M=8", channels_out(8)},
        {"M=16", channels_out(16)}, {"M=17", channels_out(17)}, {"M=33", channels_out(33)},
        {"M=64", channels_out(64)},
    };
    const std::vector<ConvShape> shapes = grid_shapes();
    for (const auto& [feature, predicate] : features) {
        size_t hits = 0;
        for (const ConvShape& s : shapes) hits += predicate(s) ? 1 : 0;
        EXPECT_GT(hits, 0u) << "no grid shape has " << feature;
    }
}

}  // namespace
}  // namespace convkit_test
