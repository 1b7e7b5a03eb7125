// Every kernel reads and writes only the caller's tensors: the input and the
// output each lie flush against an inaccessible page, once right after one
// and once right before one, so a read or write past either end faults.
// (The depthwise plane kind reads past each plane's ends into its
// neighbours' planes, so it must never run the first or the last group.)
#include "reference.h"
#include "test_util.h"

#include <convkit/convkit.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace convkit_test {
namespace {

using convkit::ConvShape;
using convkit::Epilogue;

// `count` floats in their own mapping, between two inaccessible pages:
// starting right after the first (flush_end false) or ending right before
// the last (flush_end true).
class GuardedFloats {
public:
    GuardedFloats(size_t count, bool flush_end) {
        page_ = size_t(sysconf(_SC_PAGESIZE));
        const size_t bytes = count * sizeof(float);
        const size_t body = (bytes + page_ - 1) / page_ * page_;
        size_ = body + 2 * page_;
        void* base = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED) throw std::runtime_error("mmap failed");
        base_ = static_cast<unsigned char*>(base);
        if (mprotect(base_, page_, PROT_NONE) != 0 || mprotect(base_ + page_ + body, page_, PROT_NONE) != 0) {
            throw std::runtime_error("mprotect failed");
        }
        data_ = reinterpret_cast<float*>(base_ + page_ + (flush_end ? body - bytes : 0));
    }
    ~GuardedFloats() { munmap(base_, size_); }
    GuardedFloats(const GuardedFloats&) = delete;
    GuardedFloats& operator=(const GuardedFloats&) = delete;
    float* data() { return data_; }

private:
    size_t page_ = 0, size_ = 0;
    unsigned char* base_ = nullptr;
    float* data_ = nullptr;
};

// Depthwise planes the plane kind takes (7x7 and 14x14 with padding, a
// batch of two, a group count that is no multiple of its 4 groups per
// tile, dilation), planes the masked kind takes (stride 2 with taps past
// both ends of the rows, a stride-1 plane over the plane kind's bound), and
// a few shapes of the other kinds: strided, grouped, dense with asymmetric
// padding, pointwise.
std::vector<ConvShape> guarded_shapes() {
    return {
        Shape(1, 6, 20, 34).out(6).kernel(3, 3).stride(2, 2).pad(1, 0, 2, 1).groups(6),
        Shape(2, 7, 40, 60).out(7).kernel(3, 3).pad(1).groups(7),
        Shape(1, 12, 7, 7).out(12).kernel(3, 3).pad(1).groups(12),
        Shape(2, 9, 14, 14).out(9).kernel(3, 3).pad(1).groups(9),
        Shape(1, 6, 10, 10).out(6).kernel(3, 3).pad(2).dilation(2, 2).groups(6),
        Shape(1, 6, 14, 14).out(12).kernel(3, 3).pad(1).groups(6),
        Shape(1, 16, 15, 13).out(16).kernel(3, 3).stride(2, 2).pad(1).groups(16),
        Shape(2, 8, 11, 9).out(6).kernel(3, 3).pad(1, 0, 2, 1).groups(2),
        Shape(1, 5, 12, 10).out(17).kernel(5, 5).pad(2),
        Shape(1, 16, 8, 8).out(24).kernel(1, 1),
    };
}

class GuardedBuffersTest : public ::testing::TestWithParam<RunCase> {};

TEST_P(GuardedBuffersTest, TouchOnlyTheCallersTensors) {
    const RunCase& c = GetParam();
    const ConvShape& s = c.shape;
    const ConvData data = make_conv_data(s, static_cast<uint32_t>(c.index));
    const bool with_bias = c.epilogue != Epilogue::None;
    const convkit::Plan plan(s, data.weights.data(), data.bias.data(), c.options());
    std::vector<double> expected, abs_sum;
    reference_conv(s, data.input.data(), data.weights.data(), with_bias ? data.bias.data() : nullptr,
                   c.epilogue == Epilogue::BiasRelu, expected, &abs_sum);
    const size_t out_count = size_t(s.output_elements());
    for (bool flush_end : {false, true}) {
        SCOPED_TRACE(flush_end ? "tensors end at a guard page" : "tensors start after a guard page");
        GuardedFloats input(data.input.size(), flush_end), output(out_count, flush_end);
        std::copy(data.input.begin(), data.input.end(), input.data());
        std::fill(output.data(), output.data() + out_count, 0.0f);
        plan.run(input.data(), output.data());
        EXPECT_TRUE(matches_reference(s, std::vector<float>(output.data(), output.data() + out_count), expected,
                                      abs_sum, with_bias));
    }
}

INSTANTIATE_TEST_SUITE_P(Guarded, GuardedBuffersTest, ::testing::ValuesIn(run_cases(guarded_shapes())),
                         run_case_name);

}  // namespace
}  // namespace convkit_test
