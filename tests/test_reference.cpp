// The test oracle itself, on hand-computed examples (no library kernels).
#include "reference.h"
#include "test_util.h"
#include "tolerance.h"

#include <gtest/gtest.h>

#include <vector>

namespace convkit_test {
namespace {

using convkit::ConvShape;

TEST(Reference, AsymmetricPaddingBiasRelu) {
    // 3x3 input 1..9, 2x2 kernel [1 2; 3 4], one row of zeros on top and one
    // column on the right.
    const ConvShape s = Shape(1, 1, 3, 3).out(1).kernel(2, 2).pad(1, 0, 0, 1);
    const std::vector<float> input = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const std::vector<float> weights = {1, 2, 3, 4};
    std::vector<double> out;
    reference_conv(s, input.data(), weights.data(), nullptr, false, out);
    EXPECT_EQ(out, (std::vector<double>{11, 18, 9, 37, 47, 21, 67, 77, 33}));

    const float bias = -40;
    reference_conv(s, input.data(), weights.data(), &bias, true, out);
    EXPECT_EQ(out, (std::vector<double>{0, 0, 0, 0, 7, 0, 27, 37, 0}));
}

TEST(Reference, GroupsPickTheirOwnChannels) {
    // Depthwise 1x1: output channel m sees only input channel m.
    const ConvShape s = Shape(1, 2, 1, 2).out(2).kernel(1, 1).groups(2);
    const std::vector<float> input = {1, 2, 10, 20};  // channel 0, channel 1
    const std::vector<float> weights = {2, 3};
    std::vector<double> out;
    reference_conv(s, input.data(), weights.data(), nullptr, false, out);
    EXPECT_EQ(out, (std::vector<double>{2, 4, 30, 60}));
}

TEST(Reference, StrideAndDilation) {
    const std::vector<float> input = {1, 2, 3, 4, 5};
    std::vector<double> out;

    const std::vector<float> identity = {1};
    reference_conv(Shape(1, 1, 1, 5).kernel(1, 1).stride(1, 2), input.data(), identity.data(),
                   nullptr, false, out);
    EXPECT_EQ(out, (std::vector<double>{1, 3, 5}));

    // Taps 3 columns apart: out[x] = in[x] - in[x+3].
    const std::vector<float> difference = {1, -1};
    reference_conv(Shape(1, 1, 1, 5).kernel(1, 2).dilation(1, 3), input.data(), difference.data(),
                   nullptr, false, out);
    EXPECT_EQ(out, (std::vector<double>{-3, -3}));
}

TEST(Reference, BatchAndOutputChannelOrder) {
    // N=2, C=1, 1x1 spatial; M=2 with weights 1 and 10: NCHW order is n, m.
    const ConvShape s = Shape(2, 1, 1, 1).out(2).kernel(1, 1);
    const std::vector<float> input = {2, 3};
    const std::vector<float> weights = {1, 10};
    std::vector<double> out;
    reference_conv(s, input.data(), weights.data(), nullptr, false, out);
    EXPECT_EQ(out, (std::vector<double>{2, 20, 3, 30}));
}

TEST(Reference, AbsSumAddsMagnitudes) {
    const ConvShape s = Shape(1, 1, 1, 2).out(1).kernel(1, 2);
    const std::vector<float> input = {-1, 2};
    const std::vector<float> weights = {3, -4};
    const float bias = -0.5f;
    std::vector<double> out, abs_sum;
    reference_conv(s, input.data(), weights.data(), &bias, false, out, &abs_sum);
    EXPECT_EQ(out, std::vector<double>{-11.5});
    EXPECT_EQ(abs_sum, std::vector<double>{11.5});

    std::vector<double> abs_only;
    abs_sum_reference(s, input.data(), weights.data(), &bias, abs_only);
    EXPECT_EQ(abs_only, abs_sum);
}

TEST(Reference, OutputSize) {
    EXPECT_EQ(reference_out_h(Shape(1, 1, 224, 224).kernel(7, 7).stride(2, 2).pad(3)), 112);
    EXPECT_EQ(reference_out_w(Shape(1, 1, 5, 5).kernel(3, 3).dilation(1, 2)), 1);
    // A kernel that does not fit gives 0, also with strides > 1.
    EXPECT_EQ(reference_out_h(Shape(1, 1, 4, 4).kernel(5, 1).stride(2, 2)), 0);
}

TEST(Tolerance, BoundGrowsWithReductionLength) {
    EXPECT_NEAR(gamma_bound(1, kFloatUnitRoundoff), kFloatUnitRoundoff, 1e-14);
    EXPECT_GT(error_bound(10, 1.0), error_bound(9, 1.0));
    EXPECT_EQ(error_bound(9, 0.0), kAbsoluteFloor);
    EXPECT_EQ(reduction_length(Shape(1, 16, 8, 8).out(32).kernel(3, 3).groups(4), true),
              4 * 3 * 3 + 1);
}

}  // namespace
}  // namespace convkit_test
