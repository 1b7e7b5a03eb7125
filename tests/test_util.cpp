#include "test_util.h"

#include "reference.h"
#include "tolerance.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>

namespace convkit_test {

using convkit::ConvShape;

Shape::Shape(int64_t n, int64_t c, int64_t h, int64_t w) {
    s_.N = n;
    s_.C = c;
    s_.H = h;
    s_.W = w;
    s_.M = c;
}

Shape& Shape::out(int64_t m) {
    s_.M = m;
    return *this;
}

Shape& Shape::kernel(int64_t kh, int64_t kw) {
    s_.KH = kh;
    s_.KW = kw;
    return *this;
}

Shape& Shape::stride(int64_t sh, int64_t sw) {
    s_.stride_h = sh;
    s_.stride_w = sw;
    return *this;
}

Shape& Shape::pad(int64_t top, int64_t bottom, int64_t left, int64_t right) {
    s_.pad_top = top;
    s_.pad_bottom = bottom;
    s_.pad_left = left;
    s_.pad_right = right;
    return *this;
}

Shape& Shape::dilation(int64_t dh, int64_t dw) {
    s_.dilation_h = dh;
    s_.dilation_w = dw;
    return *this;
}

Shape& Shape::groups(int64_t g) {
    s_.groups = g;
    return *this;
}

std::string shape_name(const ConvShape& s) {
    std::ostringstream os;
    os << 'n' << s.N << 'c' << s.C << 'h' << s.H << 'w' << s.W << "_m" << s.M
       << "_k" << s.KH << 'x' << s.KW << "_s" << s.stride_h << 'x' << s.stride_w
       << "_p" << s.pad_top << 'x' << s.pad_bottom << 'x' << s.pad_left << 'x' << s.pad_right
       << "_d" << s.dilation_h << 'x' << s.dilation_w << "_g" << s.groups;
    std::string name = os.str();
    for (char& ch : name)  // negative values would bring '-'
        if (ch == '-') ch = 'm';
    return name;
}

std::string epilogue_name(convkit::Epilogue e) {
    switch (e) {
        case convkit::Epilogue::None: return "none";
        case convkit::Epilogue::Bias: return "bias";
        case convkit::Epilogue::BiasRelu: return "bias_relu";
    }
    return "unknown";
}

std::vector<std::string> tested_isas() {
    const char* only = std::getenv("CONVKIT_TEST_ISA");
    if (only && *only) return {only};
    return convkit::supported_isas();
}

std::vector<RunCase> run_cases(const std::vector<ConvShape>& shapes) {
    using convkit::Epilogue;
    const Epilogue epilogues[] = {Epilogue::None, Epilogue::Bias, Epilogue::BiasRelu};
    std::vector<RunCase> cases;
    for (const std::string& isa : tested_isas())
        for (const std::string& kernel : kernel_names())
            for (size_t i = 0; i < shapes.size(); ++i)
                cases.push_back(
                    {kernel, isa, i, shapes[i], 1 + static_cast<int>(i % 2), epilogues[i % 3]});
    return cases;
}

std::string run_case_name(const ::testing::TestParamInfo<RunCase>& info) {
    const RunCase& c = info.param;
    std::string kernel = c.kernel;
    for (char& ch : kernel)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    char index[24];
    std::snprintf(index, sizeof index, "_%03zu_", c.index);
    return kernel + "_" + c.isa + index + shape_name(c.shape) + "_" + epilogue_name(c.epilogue) +
           "_t" + std::to_string(c.threads);
}

void PrintTo(const RunCase& c, std::ostream* os) {
    *os << "kernel " << c.kernel << " (" << c.isa << "), shape #" << c.index << " " << shape_name(c.shape)
        << ", epilogue " << epilogue_name(c.epilogue) << ", threads " << c.threads;
}

std::vector<std::string> kernel_names() {
    std::vector<std::string> names;
    for (const convkit::KernelInfo& info : convkit::kernels()) {
        if (std::find(names.begin(), names.end(), info.name) == names.end()) names.push_back(info.name);
    }
    return names;
}

void fill_random(float* data, size_t count, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (size_t i = 0; i < count; ++i) data[i] = dist(rng);
}

std::vector<float> random_floats(size_t count, uint32_t seed) {
    std::vector<float> v(count);
    fill_random(v.data(), count, seed);
    return v;
}

std::vector<float> nan_filled(size_t count) {
    return std::vector<float>(count, std::numeric_limits<float>::quiet_NaN());
}

bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() &&
           std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

ConvData make_conv_data(const ConvShape& s, uint32_t seed) {
    // Distinct streams per operand so no two tensors share values.
    ConvData d;
    d.input = random_floats(static_cast<size_t>(s.input_elements()), seed * 3 + 0);
    d.weights = random_floats(static_cast<size_t>(s.weight_elements()), seed * 3 + 1);
    d.bias = random_floats(static_cast<size_t>(s.M), seed * 3 + 2);
    return d;
}

namespace {

// "(n,m,y,x)" of NCHW output element `index`.
std::string output_coordinates(const ConvShape& s, size_t index) {
    const int64_t out_w = reference_out_w(s);
    const int64_t out_h = reference_out_h(s);
    int64_t i = static_cast<int64_t>(index);
    const int64_t x = i % out_w;
    i /= out_w;
    const int64_t y = i % out_h;
    i /= out_h;
    const int64_t m = i % s.M;
    const int64_t n = i / s.M;
    std::ostringstream os;
    os << '(' << n << ',' << m << ',' << y << ',' << x << ')';
    return os.str();
}

}  // namespace

::testing::AssertionResult matches_reference(const ConvShape& s, const std::vector<float>& got,
                                             const std::vector<double>& expected,
                                             const std::vector<double>& abs_sum,
                                             bool with_bias, int max_reported) {
    if (got.size() != expected.size() || abs_sum.size() != expected.size())
        return ::testing::AssertionFailure()
               << "size mismatch: got " << got.size() << ", expected " << expected.size();

    const int64_t terms = reduction_length(s, with_bias);
    std::ostringstream report;
    report.precision(9);
    size_t mismatches = 0;
    for (size_t i = 0; i < got.size(); ++i) {
        const double bound = error_bound(terms, abs_sum[i]);
        const double error = std::fabs(static_cast<double>(got[i]) - expected[i]);
        if (error <= bound) continue;  // false for NaN: unwritten elements fail
        if (mismatches++ < static_cast<size_t>(max_reported))
            report << "\n  " << output_coordinates(s, i) << ": got " << got[i]
                   << ", expected " << expected[i] << ", |error| " << error
                   << " > bound " << bound;
    }
    if (mismatches == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << mismatches << " of " << got.size() << " elements of " << shape_name(s)
           << " exceed the error bound (reduction length " << terms << "):"
           << report.str();
}

::testing::AssertionResult throws_error(const std::function<void()>& call,
                                        const std::vector<std::string>& all_of,
                                        const std::vector<std::string>& any_of) {
    try {
        call();
    } catch (const convkit::Error& e) {
        const std::string message = e.what();
        auto contains = [&](const std::string& part) { return message.find(part) != std::string::npos; };
        bool ok = true;
        for (const std::string& part : all_of) ok = ok && contains(part);
        if (!any_of.empty()) {
            bool any = false;
            for (const std::string& part : any_of) any = any || contains(part);
            ok = ok && any;
        }
        if (ok) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "convkit::Error message \"" << message
                                             << "\" lacks the expected field=value";
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure() << "threw a non-convkit exception: " << e.what();
    }
    return ::testing::AssertionFailure() << "no exception thrown";
}

}  // namespace convkit_test
