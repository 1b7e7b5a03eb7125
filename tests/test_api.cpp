// The public API: argument validation, plan properties and ConvShape helpers.
#include "reference.h"
#include "test_util.h"

#include <convkit/convkit.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace convkit_test {
namespace {

using convkit::ConvShape;
using convkit::Epilogue;
using convkit::Options;
using convkit::Plan;

static_assert(std::is_base_of<std::invalid_argument, convkit::Error>::value,
              "convkit::Error must derive from std::invalid_argument");

// Weights and bias large enough for every shape used in this file, so a
// plan that reads them before validating cannot run off the end.
const std::vector<float>& spare_weights() {
    static const std::vector<float> weights = random_floats(1 << 16, 7);
    return weights;
}

void make_plan(const ConvShape& s, const Options& options = {}) {
    Plan plan(s, spare_weights().data(), spare_weights().data(), options);
}

// An invalid shape is rejected by ConvShape::validate() and by Plan.
void expect_invalid(const ConvShape& s, const std::vector<std::string>& all_of,
                    const std::vector<std::string>& any_of = {}) {
    SCOPED_TRACE(shape_name(s));
    EXPECT_TRUE(throws_error([&] { s.validate(); }, all_of, any_of)) << "validate()";
    EXPECT_TRUE(throws_error([&] { make_plan(s); }, all_of, any_of)) << "Plan()";
}

ConvShape valid_shape() { return Shape(2, 4, 9, 11).out(8).kernel(3, 3).pad(1); }

// ---- Shape validation ------------------------------------------------------

TEST(Validation, ValidShapeIsAccepted) {
    EXPECT_NO_THROW(valid_shape().validate());
    EXPECT_NO_THROW(make_plan(valid_shape()));
}

// One invalid field at a time; the message must name the field and value.
struct InvalidField {
    int64_t ConvShape::*field;
    int64_t value;
    const char* message;
};

TEST(Validation, EachInvalidFieldIsNamed) {
    const InvalidField cases[] = {
        {&ConvShape::N, 0, "N=0"},
        {&ConvShape::C, -1, "C=-1"},
        {&ConvShape::KH, 0, "KH=0"},
        {&ConvShape::stride_h, 0, "stride_h=0"},
        {&ConvShape::dilation_w, 0, "dilation_w=0"},
        {&ConvShape::pad_left, -1, "pad_left=-1"},
        {&ConvShape::pad_bottom, -2, "pad_bottom=-2"},
    };
    for (const InvalidField& c : cases) {
        ConvShape s = valid_shape();
        s.*c.field = c.value;
        expect_invalid(s, {c.message});
    }
}

TEST(Validation, GroupsMustDivideC) {
    expect_invalid(Shape(1, 64, 8, 8).out(48).kernel(3, 3).groups(3), {"groups=3", "C=64"});
}

TEST(Validation, GroupsMustDivideM) {
    expect_invalid(Shape(1, 4, 8, 8).out(5).kernel(3, 3).groups(2), {"groups=2", "M=5"});
}

TEST(Validation, KernelLargerThanPaddedInput) {
    // 4 + 1 + 1 < 7: out_h would be 0.
    expect_invalid(Shape(1, 2, 4, 10).out(2).kernel(7, 3).pad(1), {}, {"KH=7", "H=4", "out_h"});
    // Dilated kernel spans 7 columns of a 5-wide input.
    expect_invalid(Shape(1, 2, 6, 5).out(2).kernel(3, 3).dilation(1, 3), {},
                   {"KW=3", "W=5", "dilation_w=3", "out_w"});
    // (4 - 5) / 2 + 1 is 1 with truncating division, but the kernel does not fit.
    expect_invalid(Shape(1, 2, 4, 8).out(2).kernel(5, 1).stride(2, 2), {}, {"KH=5", "H=4", "out_h"});
}

// ---- Options and pointers --------------------------------------------------

TEST(Validation, UnknownKernel) {
    Options options;
    options.kernel = "nope";
    EXPECT_TRUE(throws_error([&] { make_plan(valid_shape(), options); }, {"nope"}));
}

TEST(Validation, ZeroThreads) {
    Options options;
    options.threads = 0;
    EXPECT_TRUE(throws_error([&] { make_plan(valid_shape(), options); }, {"threads=0"}));
}

TEST(Validation, NullWeights) {
    const ConvShape s = valid_shape();
    const std::vector<float> bias = random_floats(s.M, 1);
    EXPECT_TRUE(throws_error([&] { Plan plan(s, nullptr, bias.data()); }, {"weights"}));
}

TEST(Validation, NullBiasWithBiasEpilogue) {
    const ConvShape s = valid_shape();
    const std::vector<float> weights = random_floats(s.weight_elements(), 1);
    for (Epilogue epilogue : {Epilogue::Bias, Epilogue::BiasRelu}) {
        Options options;
        options.epilogue = epilogue;
        EXPECT_TRUE(throws_error([&] { Plan plan(s, weights.data(), nullptr, options); }, {"bias"}))
            << epilogue_name(epilogue);
    }
}

TEST(Validation, NullBiasWithoutEpilogueIsAccepted) {
    const ConvShape s = valid_shape();
    const std::vector<float> weights = random_floats(s.weight_elements(), 1);
    EXPECT_NO_THROW(Plan(s, weights.data(), nullptr));
}

TEST(Validation, RunWithNullInputWritesNothing) {
    const ConvShape s = valid_shape();
    const ConvData data = make_conv_data(s, 3);
    const Plan plan(s, data.weights.data(), nullptr);
    const std::vector<float> untouched = nan_filled(s.output_elements());
    std::vector<float> output = untouched;
    EXPECT_TRUE(throws_error([&] { plan.run(nullptr, output.data()); }, {"input"}));
    EXPECT_TRUE(bitwise_equal(output, untouched)) << "output was written before the throw";
}

TEST(Validation, RunWithNullOutput) {
    const ConvShape s = valid_shape();
    const ConvData data = make_conv_data(s, 3);
    const Plan plan(s, data.weights.data(), nullptr);
    EXPECT_TRUE(throws_error([&] { plan.run(data.input.data(), nullptr); }, {"output"}));
}

// ---- Kernels and plans -----------------------------------------------------

TEST(Kernels, ListIsNonEmptyWithUniqueDescribedEntries) {
    const std::vector<convkit::KernelInfo> infos = convkit::kernels();
    ASSERT_FALSE(infos.empty());
    std::set<std::string> entries;
    for (const convkit::KernelInfo& info : infos) {
        EXPECT_FALSE(info.name.empty());
        EXPECT_FALSE(info.lowering.empty()) << info.name;
        EXPECT_FALSE(info.isa.empty()) << info.name;
        EXPECT_NE(info.name, "auto") << "\"auto\" is reserved for Options::kernel";
        EXPECT_TRUE(entries.insert(info.name + "/" + info.isa).second)
            << "duplicate kernel " << info.name << " for " << info.isa;
    }
}

// The formula text comes from the entry that computes the bytes: the
// zero-extra-memory kernels say "0", the lowering ones name the lowered data.
TEST(Kernels, EachStatesItsExtraMemoryFormula) {
    for (const convkit::KernelInfo& info : convkit::kernels()) {
        EXPECT_FALSE(info.extra_memory.empty()) << info.name;
        const bool zero = info.lowering == "direct" || info.name == "kn2row_as";
        EXPECT_EQ(info.extra_memory == "0", zero) << info.name << ": " << info.extra_memory;
    }
    EXPECT_NE(std::string(convkit::extra_memory_legend()).find("Wo'"), std::string::npos);
}

TEST(Kernels, DirectHasNoWorkspace) {
    const std::vector<std::string> names = kernel_names();
    ASSERT_NE(std::find(names.begin(), names.end(), "direct"), names.end());
    const ConvShape s = valid_shape();
    const ConvData data = make_conv_data(s, 4);
    Options options;
    options.kernel = "direct";
    const Plan plan(s, data.weights.data(), nullptr, options);
    EXPECT_EQ(plan.kernel().name, "direct");
    EXPECT_EQ(plan.workspace_bytes(), 0u);
}

TEST(Kernels, PlanReportsItsSetup) {
    const ConvShape s = Shape(1, 6, 10, 7).out(9).kernel(3, 5).stride(2, 1).pad(1, 0, 2, 2).groups(3);
    const ConvData data = make_conv_data(s, 5);
    for (const std::string& name : kernel_names()) {
        Options options;
        options.kernel = name;
        options.threads = 2;
        options.epilogue = Epilogue::Bias;
        const Plan plan(s, data.weights.data(), data.bias.data(), options);
        EXPECT_EQ(plan.kernel().name, name);
        EXPECT_EQ(plan.threads(), 2) << name;
        EXPECT_EQ(shape_name(plan.shape()), shape_name(s)) << name;
        EXPECT_GE(plan.packed_weight_bytes(), static_cast<size_t>(s.weight_elements()) * sizeof(float))
            << name;
    }
}

TEST(Kernels, AutoPicksACompiledKernel) {
    const ConvShape s = valid_shape();
    const ConvData data = make_conv_data(s, 6);
    const Plan plan(s, data.weights.data(), nullptr);  // Options{} means "auto"
    const std::vector<std::string> names = kernel_names();
    EXPECT_NE(std::find(names.begin(), names.end(), plan.kernel().name), names.end())
        << plan.kernel().name;
}

// Runs `plan` on data.input and checks the result against the reference
// computed from `weights` and `bias`.
void expect_plan_computes(const Plan& plan, const ConvData& data, const std::vector<float>& weights,
                          const std::vector<float>& bias) {
    const ConvShape& s = plan.shape();
    std::vector<double> expected, abs_sum;
    reference_conv(s, data.input.data(), weights.data(), bias.data(), false, expected, &abs_sum);
    std::vector<float> output = nan_filled(s.output_elements());
    plan.run(data.input.data(), output.data());
    EXPECT_TRUE(matches_reference(s, output, expected, abs_sum, /*with_bias=*/true))
        << plan.kernel().name;
}

TEST(Plans, DoNotReferToTheCallersWeights) {
    const ConvShape s = valid_shape();
    const ConvData data = make_conv_data(s, 8);
    Options options;
    options.epilogue = Epilogue::Bias;
    for (const std::string& name : kernel_names()) {
        options.kernel = name;
        ConvData scratch = data;
        const Plan plan(s, scratch.weights.data(), scratch.bias.data(), options);
        // Overwrite in place: the buffers stay alive, only their values change.
        const float nan = std::numeric_limits<float>::quiet_NaN();
        std::fill(scratch.weights.begin(), scratch.weights.end(), nan);
        std::fill(scratch.bias.begin(), scratch.bias.end(), nan);
        expect_plan_computes(plan, data, data.weights, data.bias);
    }
}

TEST(Plans, AreMovable) {
    const ConvShape s = valid_shape();
    const ConvData data = make_conv_data(s, 9);
    Options options;
    options.epilogue = Epilogue::Bias;
    Plan original(s, data.weights.data(), data.bias.data(), options);
    Plan moved(std::move(original));
    expect_plan_computes(moved, data, data.weights, data.bias);

    const ConvShape other_shape = Shape(1, 2, 5, 5).out(3).kernel(1, 1);
    const ConvData other = make_conv_data(other_shape, 10);
    Plan assigned(other_shape, other.weights.data(), other.bias.data(), options);
    assigned = std::move(moved);
    expect_plan_computes(assigned, data, data.weights, data.bias);
}

// ---- ConvShape helpers -----------------------------------------------------

TEST(ConvShapeHelpers, ResNetStem) {
    const ConvShape s = convkit::make_shape(1, 3, 224, 224, 64, 7, /*stride=*/2, /*pad=*/3);
    EXPECT_EQ(s.KH, 7);
    EXPECT_EQ(s.KW, 7);
    EXPECT_EQ(s.stride_w, 2);
    EXPECT_EQ(s.pad_bottom, 3);
    EXPECT_EQ(s.pad_right, 3);
    EXPECT_EQ(s.dilation_h, 1);
    EXPECT_EQ(s.groups, 1);
    EXPECT_EQ(s.out_h(), 112);
    EXPECT_EQ(s.out_w(), 112);
    // 2 * N * M * C/g * KH * KW * Ho * Wo
    EXPECT_DOUBLE_EQ(s.flops(), 2.0 * 1 * 64 * 3 * 7 * 7 * 112 * 112);
    EXPECT_DOUBLE_EQ(s.flops(), 236027904.0);
    EXPECT_EQ(s.output_elements(), 64 * 112 * 112);
}

TEST(ConvShapeHelpers, AsymmetricGroupedDilated) {
    // out_h = floor((10 + 1 + 0 - 2*(3-1) - 1) / 2) + 1 = 4
    // out_w = floor((13 + 2 + 1 - 1*(5-1) - 1) / 3) + 1 = 4
    const ConvShape s = Shape(2, 8, 10, 13).out(4).kernel(3, 5).stride(2, 3).pad(1, 0, 2, 1)
                            .dilation(2, 1).groups(2);
    EXPECT_EQ(s.out_h(), 4);
    EXPECT_EQ(s.out_w(), 4);
    EXPECT_DOUBLE_EQ(s.flops(), 2.0 * 2 * 4 * (8 / 2) * 3 * 5 * 4 * 4);
    EXPECT_EQ(s.weight_elements(), 4 * 4 * 3 * 5);
}

TEST(ConvShapeHelpers, DepthwiseMakeShape) {
    const ConvShape s = convkit::make_shape(1, 32, 7, 7, 32, 3, 1, 1, 1, /*groups=*/32);
    EXPECT_EQ(s.out_h(), 7);
    EXPECT_EQ(s.out_w(), 7);
    EXPECT_EQ(s.weight_elements(), 32 * 9);
    EXPECT_DOUBLE_EQ(s.flops(), 2.0 * 32 * 9 * 49);
}

TEST(ConvShapeHelpers, ToStringIsNonEmpty) {
    EXPECT_FALSE(valid_shape().to_string().empty());
    EXPECT_FALSE(ConvShape{}.to_string().empty());
}

}  // namespace
}  // namespace convkit_test
