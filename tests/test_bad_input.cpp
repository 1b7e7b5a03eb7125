// Bad input through the public API: each case expects a specific error
// message and no write to the caller's output (filled with a sentinel).
#include "test_util.h"

#include <convkit/convkit.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace convkit_test {
namespace {

using convkit::ConvShape;
using convkit::Options;
using convkit::Plan;
using convkit::Span;

constexpr int64_t kMax32 = std::numeric_limits<int32_t>::max();

ConvShape good_shape() { return Shape(2, 4, 9, 11).out(8).kernel(3, 3).pad(1); }

// Buffers sized for good_shape(); the output holds a sentinel pattern.
struct Buffers {
    ConvShape shape = good_shape();
    ConvData data = make_conv_data(shape, 5);
    std::vector<float> output = std::vector<float>(size_t(shape.output_elements()), -12345.0f);
};

// A call that must throw: it gets fresh buffers and may write `output`.
struct BadInput {
    const char* name;
    std::vector<std::string> message;  // every one must appear
    std::function<void(Buffers&)> call;
};

// A shape that differs from good_shape() in one field, planned and run.
std::function<void(Buffers&)> plan_and_run(std::function<void(ConvShape&)> edit,
                                           Options options = {}) {
    return [edit, options](Buffers& b) {
        ConvShape s = b.shape;
        edit(s);
        const std::vector<float> weights(1 << 20, 0.5f);  // more than any case reads
        const Plan plan(s, weights.data(), weights.data(), options);
        plan.run(b.data.input.data(), b.output.data());
    };
}

std::function<void(Buffers&)> with_options(std::function<void(Options&)> edit) {
    Options options;
    edit(options);
    return plan_and_run([](ConvShape&) {}, options);
}

Plan good_plan(const Buffers& b, const Options& options = {}) {
    return Plan(b.shape, b.data.weights.data(), b.data.bias.data(), options);
}

Options im2col_options() {
    Options o;
    o.kernel = "im2col";  // needs a workspace on good_shape()
    return o;
}

std::vector<BadInput> bad_inputs() {
    return {
        {"zero batch", {"N=0", ">= 1"}, plan_and_run([](ConvShape& s) { s.N = 0; })},
        {"negative channels", {"C=-3"}, plan_and_run([](ConvShape& s) { s.C = -3; })},
        {"zero height", {"H=0"}, plan_and_run([](ConvShape& s) { s.H = 0; })},
        {"negative width", {"W=-1"}, plan_and_run([](ConvShape& s) { s.W = -1; })},
        {"zero output channels", {"M=0"}, plan_and_run([](ConvShape& s) { s.M = 0; })},
        {"zero kernel height", {"KH=0"}, plan_and_run([](ConvShape& s) { s.KH = 0; })},
        {"negative kernel width", {"KW=-2"}, plan_and_run([](ConvShape& s) { s.KW = -2; })},
        {"kernel taller than padded input", {"KH=12", "padded input height 11"},
         plan_and_run([](ConvShape& s) { s.KH = 12; })},
        {"dilated kernel wider than padded input", {"KW=3", "dilation_w=7"},
         plan_and_run([](ConvShape& s) { s.dilation_w = 7; })},
        {"negative top padding", {"pad_top=-1", ">= 0"}, plan_and_run([](ConvShape& s) { s.pad_top = -1; })},
        {"negative right padding", {"pad_right=-5"}, plan_and_run([](ConvShape& s) { s.pad_right = -5; })},
        {"zero vertical stride", {"stride_h=0"}, plan_and_run([](ConvShape& s) { s.stride_h = 0; })},
        {"negative horizontal stride", {"stride_w=-1"}, plan_and_run([](ConvShape& s) { s.stride_w = -1; })},
        {"zero vertical dilation", {"dilation_h=0"}, plan_and_run([](ConvShape& s) { s.dilation_h = 0; })},
        {"zero groups", {"groups=0"}, plan_and_run([](ConvShape& s) { s.groups = 0; })},
        {"groups not dividing C", {"groups=3", "C=4"}, plan_and_run([](ConvShape& s) { s.groups = 3; })},
        {"groups not dividing M", {"groups=4", "M=6"},
         plan_and_run([](ConvShape& s) { s.groups = 4, s.M = 6; })},
        {"extent beyond 32 bits", {"H=2147483648", "exceeds 2^31-1"},
         plan_and_run([](ConvShape& s) { s.H = kMax32 + 1; })},
        {"byte count overflowing 64 bits", {"input of", "exceeds the 2^31-1 byte buffer limit"},
         plan_and_run([](ConvShape& s) { s.N = s.C = s.H = s.W = kMax32; })},
        {"tensor beyond Halide's 2^31 bytes", {"output of", "2^31-1 byte buffer limit"},
         plan_and_run([](ConvShape& s) { s.N = 4096, s.C = 1, s.H = s.W = 200, s.M = 128; })},
        {"scratch beyond Halide's 2^31 bytes", {"kernel='kn2row'", "exceeds Halide's 2^31-1"},
         plan_and_run([](ConvShape& s) { s = convkit::make_shape(1, 64, 224, 224, 64, 13, 1, 6); },
                      [] { Options o; o.kernel = "kn2row"; return o; }())},
        {"null weights", {"weights=null"},
         [](Buffers& b) { Plan(b.shape, nullptr, b.data.bias.data()).run(b.data.input.data(), b.output.data()); }},
        {"null bias with a bias epilogue", {"bias=null"},
         [](Buffers& b) {
             Options o;
             o.epilogue = convkit::Epilogue::BiasRelu;
             Plan(b.shape, b.data.weights.data(), nullptr, o).run(b.data.input.data(), b.output.data());
         }},
        {"weights of the wrong size", {"weights has 287 floats", "= 288"},
         [](Buffers& b) {
             Plan(b.shape, Span<const float>(b.data.weights.data(), 287), {})
                 .run(b.data.input.data(), b.output.data());
         }},
        {"bias of the wrong size", {"bias has 7 floats", "M = 8"},
         [](Buffers& b) {
             Options o;
             o.epilogue = convkit::Epilogue::Bias;
             Plan(b.shape, Span<const float>(b.data.weights), Span<const float>(b.data.bias.data(), 7), o)
                 .run(b.data.input.data(), b.output.data());
         }},
        {"null input", {"input=null"}, [](Buffers& b) { good_plan(b).run(nullptr, b.output.data()); }},
        {"null output", {"output=null"},
         [](Buffers& b) { good_plan(b).run(b.data.input.data(), nullptr); }},
        {"input too small", {"input has 791 floats", "N*C*H*W = 792"},
         [](Buffers& b) {
             good_plan(b).run(Span<const float>(b.data.input.data(), 791), Span<float>(b.output));
         }},
        {"output too small", {"output has 10 floats", "N*M*out_h*out_w = 1584"},
         [](Buffers& b) {
             good_plan(b).run(Span<const float>(b.data.input), Span<float>(b.output.data(), 10));
         }},
        {"output aliasing the input", {"output aliases input"},
         [](Buffers& b) { good_plan(b).run(b.output.data(), b.output.data() + 8); }},
        {"workspace smaller than workspace_bytes()", {"workspace has 100 bytes", "workspace_bytes() ="},
         [](Buffers& b) {
             std::vector<unsigned char> workspace(100);
             good_plan(b, im2col_options())
                 .run(Span<const float>(b.data.input), Span<float>(b.output), Span<unsigned char>(workspace));
         }},
        {"null workspace with a size", {"workspace=null"},
         [](Buffers& b) {
             good_plan(b, im2col_options())
                 .run(Span<const float>(b.data.input), Span<float>(b.output), Span<unsigned char>(nullptr, 64));
         }},
        {"kernel that does not exist", {"kernel='winograd'", "available"},
         with_options([](Options& o) { o.kernel = "winograd"; })},
        {"ISA that is not compiled in", {"isa='avx1024'"}, with_options([](Options& o) { o.isa = "avx1024"; })},
        {"kernel over the workspace limit", {"kernel='im2col'", "over workspace_limit=0"},
         with_options([](Options& o) { o.kernel = "im2col", o.workspace_limit = 0; })},
        {"zero threads", {"threads=0"}, with_options([](Options& o) { o.threads = 0; })},
        {"too many threads", {"threads=5000"}, with_options([](Options& o) { o.threads = 5000; })},
        {"unreadable timing table", {"timings_file='/nonexistent/t.csv'", "cannot be read"},
         with_options([](Options& o) { o.timings_file = "/nonexistent/t.csv"; })},
    };
}

TEST(BadInput, AtLeast25Cases) { EXPECT_GE(bad_inputs().size(), 25u); }

TEST(BadInput, EachGetsItsMessageAndWritesNothing) {
    for (const BadInput& c : bad_inputs()) {
        SCOPED_TRACE(c.name);
        Buffers buffers;
        const std::vector<float> sentinel = buffers.output;
        EXPECT_TRUE(throws_error([&] { c.call(buffers); }, c.message));
        EXPECT_TRUE(bitwise_equal(buffers.output, sentinel)) << "output written before the throw";
    }
}

// A compiled ISA this CPU cannot run is refused by name (on a CPU that runs
// every compiled ISA there is none to try: the list below is then empty).
TEST(BadInput, IsaTheCpuCannotRun) {
    const std::vector<std::string> runnable = convkit::supported_isas();
    for (const convkit::KernelInfo& k : convkit::kernels()) {
        if (std::find(runnable.begin(), runnable.end(), k.isa) != runnable.end()) continue;
        Options o;
        o.isa = k.isa;
        EXPECT_TRUE(throws_error([&] { Buffers b; good_plan(b, o); }, {"isa='" + k.isa + "'", "not supported"}));
    }
}

}  // namespace
}  // namespace convkit_test
