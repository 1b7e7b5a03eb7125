// Helpers shared by the convkit tests: shape building and naming, random
// data, NaN-sentinel buffers and comparison against the reference.
#pragma once

#include <convkit/convkit.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace convkit_test {

// Fluent construction of a ConvShape, e.g.
//   ConvShape s = Shape(1, 3, 17, 31).out(8).kernel(3, 3).stride(2, 1)
//                     .pad(1, 0, 2, 1).dilation(2, 2).groups(1);
// Fields not set keep ConvShape's defaults; M defaults to C.
class Shape {
public:
    Shape(int64_t n, int64_t c, int64_t h, int64_t w);
    Shape& out(int64_t m);
    Shape& kernel(int64_t kh, int64_t kw);
    Shape& stride(int64_t sh, int64_t sw);
    Shape& pad(int64_t top, int64_t bottom, int64_t left, int64_t right);
    Shape& pad(int64_t all) { return pad(all, all, all, all); }
    Shape& dilation(int64_t dh, int64_t dw);
    Shape& groups(int64_t g);
    operator convkit::ConvShape() const { return s_; }  // NOLINT: implicit by design

private:
    convkit::ConvShape s_;
};

// Succeeds if `call` throws convkit::Error whose message contains every string
// in all_of and, when any_of is non-empty, at least one string in any_of.
::testing::AssertionResult throws_error(const std::function<void()>& call,
                                        const std::vector<std::string>& all_of,
                                        const std::vector<std::string>& any_of = {});

// Readable identifier made of [A-Za-z0-9_] only, e.g.
// "n1c3h17w31_m8_k3x3_s2x1_p1x0x2x1_d2x2_g1".
std::string shape_name(const convkit::ConvShape& s);
std::string epilogue_name(convkit::Epilogue e);  // "none", "bias", "bias_relu"

// One kernel run on one shape: the parameter of the kernel and memory tests.
struct RunCase {
    std::string kernel;
    std::string isa;
    size_t index;  // position of the shape in its list; also the data seed
    convkit::ConvShape shape;
    int threads;
    convkit::Epilogue epilogue;

    convkit::Options options() const { return convkit::Options{kernel, isa, threads, epilogue}; }
};

// The ISAs the tests run: every compiled ISA this CPU supports, or only the
// one named by the environment variable CONVKIT_TEST_ISA (e.g. "avx512" in
// the bochs run, where emulation is slow). Read when the parameterized tests
// are registered, before main().
std::vector<std::string> tested_isas();

// Every kernel in kernels() for every tested ISA on every shape. Threads
// rotate through 1, 2 and epilogues through None, Bias, BiasRelu, so all six
// combinations recur every six shapes.
std::vector<RunCase> run_cases(const std::vector<convkit::ConvShape>& shapes);

// e.g. "direct_042_n1c3h17w31_m8_k3x3_s2x2_p1x0x2x1_d1x1_g1_bias_relu_t2";
// characters outside [A-Za-z0-9_] in the kernel name become '_'.
std::string run_case_name(const ::testing::TestParamInfo<RunCase>& info);

// Lets GoogleTest print a RunCase readably instead of as raw bytes.
void PrintTo(const RunCase& c, std::ostream* os);

// Names of all kernels compiled into the library, each once, in kernels() order.
std::vector<std::string> kernel_names();

// Deterministic uniform [-1, 1] values from std::mt19937(seed).
void fill_random(float* data, size_t count, uint32_t seed);
std::vector<float> random_floats(size_t count, uint32_t seed);

// A buffer of quiet NaNs, so elements a kernel never writes are caught.
std::vector<float> nan_filled(size_t count);

// True if both buffers hold the same bit patterns (NaN-safe, -0 != +0).
bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b);

// Random operands for one convolution. bias always has M entries.
struct ConvData {
    std::vector<float> input, weights, bias;
};
ConvData make_conv_data(const convkit::ConvShape& s, uint32_t seed);

// Compares a kernel's NCHW output with the reference element by element,
// |got - expected| <= error_bound(reduction_length(s, with_bias), abs_sum).
// On failure the message gives the number of mismatches and the first
// `max_reported` of them as (n,m,y,x): got, expected, bound.
::testing::AssertionResult matches_reference(const convkit::ConvShape& s,
                                             const std::vector<float>& got,
                                             const std::vector<double>& expected,
                                             const std::vector<double>& abs_sum,
                                             bool with_bias, int max_reported = 5);

}  // namespace convkit_test
