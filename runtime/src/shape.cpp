// ConvShape: derived sizes, validation and printing.
#include <limits>
#include <sstream>

#include "convkit/convkit.h"

namespace convkit {
namespace {

[[noreturn]] void fail(const std::string& message) { throw Error(message); }

void require_positive(const char* field, int64_t value) {
    if (value <= 0) fail(std::string(field) + "=" + std::to_string(value) + " must be >= 1");
}

void require_non_negative(const char* field, int64_t value) {
    if (value < 0) fail(std::string(field) + "=" + std::to_string(value) + " must be >= 0");
}

void require_divides(const char* what, int64_t groups, const char* field, int64_t value) {
    if (value % groups != 0) {
        fail(std::string(what) + "=" + std::to_string(groups) + " does not divide " + field +
             "=" + std::to_string(value));
    }
}

// Output extent along one axis, or <= 0 when the dilated kernel does not fit.
int64_t out_extent(int64_t in, int64_t pad_a, int64_t pad_b, int64_t k, int64_t dilation,
                   int64_t stride) {
    const int64_t span = (k - 1) * dilation + 1;
    const int64_t padded = in + pad_a + pad_b;
    return padded < span ? 0 : (padded - span) / stride + 1;
}

}  // namespace

int64_t ConvShape::out_h() const {
    return out_extent(H, pad_top, pad_bottom, KH, dilation_h, stride_h);
}

int64_t ConvShape::out_w() const {
    return out_extent(W, pad_left, pad_right, KW, dilation_w, stride_w);
}

double ConvShape::flops() const {
    return 2.0 * double(N) * double(M) * double(C / groups) * double(KH) * double(KW) *
           double(out_h()) * double(out_w());
}

void ConvShape::validate() const {
    const std::pair<const char*, int64_t> positive[] = {
        {"N", N}, {"C", C}, {"H", H}, {"W", W}, {"M", M}, {"KH", KH}, {"KW", KW},
        {"stride_h", stride_h}, {"stride_w", stride_w}, {"dilation_h", dilation_h},
        {"dilation_w", dilation_w}, {"groups", groups}};
    for (const auto& [field, value] : positive) require_positive(field, value);
    const std::pair<const char*, int64_t> paddings[] = {
        {"pad_top", pad_top}, {"pad_bottom", pad_bottom}, {"pad_left", pad_left},
        {"pad_right", pad_right}};
    for (const auto& [field, value] : paddings) require_non_negative(field, value);
    // Every size must fit Halide's 32-bit coordinates: checked before any
    // product below can overflow.
    constexpr int64_t limit = std::numeric_limits<int32_t>::max();
    for (const auto& [field, value] : positive) {
        if (value > limit) fail(std::string(field) + "=" + std::to_string(value) + " exceeds 2^31-1");
    }
    for (const auto& [field, value] : paddings) {
        if (value > limit) fail(std::string(field) + "=" + std::to_string(value) + " exceeds 2^31-1");
    }
    require_divides("groups", groups, "C", C);
    require_divides("groups", groups, "M", M);
    if (out_h() <= 0) {
        fail("KH=" + std::to_string(KH) + " with dilation_h=" + std::to_string(dilation_h) +
             " is larger than the padded input height " + std::to_string(H + pad_top + pad_bottom));
    }
    if (out_w() <= 0) {
        fail("KW=" + std::to_string(KW) + " with dilation_w=" + std::to_string(dilation_w) +
             " is larger than the padded input width " + std::to_string(W + pad_left + pad_right));
    }
    // Halide buffers address at most 2^31-1 bytes each.
    const double max_bytes = double(limit);
    const std::pair<const char*, double> tensors[] = {
        {"input", double(N) * C * H * W * 4},
        {"weights", double(M) * (C / groups) * KH * KW * 4},
        {"output", double(N) * M * out_h() * out_w() * 4}};
    for (const auto& [name, bytes] : tensors) {
        if (bytes > max_bytes) {
            std::ostringstream os;
            os << name << " of " << bytes << " bytes exceeds the 2^31-1 byte buffer limit";
            fail(os.str());
        }
    }
}

std::string ConvShape::to_string() const {
    std::ostringstream os;
    os << "N" << N << "_C" << C << "_H" << H << "_W" << W << "_M" << M << "_k" << KH << "x" << KW
       << "_s" << stride_h << "x" << stride_w << "_p" << pad_top << "." << pad_bottom << "."
       << pad_left << "." << pad_right << "_d" << dilation_h << "x" << dilation_w << "_g"
       << groups;
    return os.str();
}

ConvShape make_shape(int64_t N, int64_t C, int64_t H, int64_t W, int64_t M, int64_t K,
                     int64_t stride, int64_t pad, int64_t dilation, int64_t groups) {
    ConvShape s;
    s.N = N, s.C = C, s.H = H, s.W = W, s.M = M, s.KH = K, s.KW = K;
    s.stride_h = s.stride_w = stride;
    s.pad_top = s.pad_bottom = s.pad_left = s.pad_right = pad;
    s.dilation_h = s.dilation_w = dilation;
    s.groups = groups;
    return s;
}

}  // namespace convkit
