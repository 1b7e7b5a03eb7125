#include "workspace.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>

namespace convkit::detail {
namespace {

constexpr size_t kFloat = sizeof(float);

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// 1x1, stride 1, unpadded: the input already is the patch matrix (when the
// output is at least one register tile, so no tile reads past the input).
bool needs_no_lowering(const ConvShape& s, const ScheduleFacts& f) {
    return s.KH == 1 && s.KW == 1 && s.stride_h == 1 && s.stride_w == 1 && s.pad_top == 0 &&
           s.pad_bottom == 0 && s.pad_left == 0 && s.pad_right == 0 && s.out_w() >= f.tile_x &&
           s.out_h() >= f.tile_y;
}

// Output columns a kernel computes: outputs narrower than one register tile
// compute a whole tile (the extra columns read zero padding).
int64_t computed_width(const ConvShape& s, const ScheduleFacts& f) {
    return std::max<int64_t>(s.out_w(), f.tile_x);
}

// One patch-matrix row of a group: Cg*KH*KW values per output column.
int64_t patch_row(const ConvShape& s, const ScheduleFacts& f) {
    return (s.C / s.groups) * s.KH * s.KW * computed_width(s, f);
}

size_t im2col_classic(const ConvShape& s, const ScheduleFacts& f, int) {
    if (needs_no_lowering(s, f)) return 0;
    return size_t(s.N * s.groups * patch_row(s, f) * s.out_h()) * kFloat;
}

// One buffer of tile_y patch rows per task; tasks = min(threads, the
// (n, g, channel block, row tile) iterations).
size_t im2col_tiled(const ConvShape& s, const ScheduleFacts& f, int threads) {
    if (needs_no_lowering(s, f)) return 0;
    const int64_t iterations = s.N * s.groups * ceil_div(s.M / s.groups, f.block) *
                               ceil_div(s.out_h(), f.tile_y);
    const int64_t tasks = std::min<int64_t>(threads, iterations);
    return size_t(tasks * patch_row(s, f) * f.tile_y) * kFloat;
}

// MEC's lowered matrix: for each computed output column, the KW input columns
// of its strip over every input row the outputs read (padding included).
size_t mec_b(const ConvShape& s, const ScheduleFacts& f, int) {
    const int64_t rows = (s.out_h() - 1) * s.stride_h + (s.KH - 1) * s.dilation_h + 1;
    return size_t(s.N * s.C * s.KW * rows * computed_width(s, f)) * kFloat;
}

// Solution A adds the output-sized temporary it transposes from.
size_t mec_a(const ConvShape& s, const ScheduleFacts& f, int threads) {
    return mec_b(s, f, threads) + size_t(s.output_elements()) * kFloat;
}

// im2win's window tensor: for each output row, the KH input rows it reads
// over every input column the computed outputs read (padding included).
size_t im2win(const ConvShape& s, const ScheduleFacts& f, int) {
    const int64_t columns = (computed_width(s, f) - 1) * s.stride_w + (s.KW - 1) * s.dilation_w + 1;
    return size_t(s.N * s.C * s.KH * columns * s.out_h()) * kFloat;
}

// kn2row's per-tap GEMM result over every input position, for the output
// channels of a group rounded up to whole weight blocks.
int64_t tap_product(const ConvShape& s, const ScheduleFacts& f) {
    return ceil_div(s.M / s.groups, f.block) * f.block * s.H * s.W;
}

size_t kn2row_all_taps(const ConvShape& s, const ScheduleFacts& f, int) {
    return size_t(s.N * s.groups * s.KH * s.KW * tap_product(s, f)) * kFloat;
}

size_t kn2row_aa(const ConvShape& s, const ScheduleFacts& f, int) {
    return size_t(tap_product(s, f)) * kFloat;
}

using Formula = std::function<size_t(const ConvShape&, const ScheduleFacts&, int)>;

const std::map<std::string, Formula>& formulas() {
    static const std::map<std::string, Formula> table = {
        {"direct", [](const ConvShape&, const ScheduleFacts&, int) { return size_t(0); }},
        {"direct_dw", [](const ConvShape&, const ScheduleFacts&, int) { return size_t(0); }},
        {"im2col", im2col_classic},
        {"im2col_tiled", im2col_tiled},
        {"mec_a", mec_a},
        {"mec_b", mec_b},
        {"im2win", im2win},
        {"kn2row", kn2row_all_taps},
        {"kn2row_aa", kn2row_aa},
        {"kn2row_as", [](const ConvShape&, const ScheduleFacts&, int) { return size_t(0); }},
    };
    return table;
}

}  // namespace

size_t workspace_bytes(const KernelEntry& kernel, const ConvShape& s, int threads) {
    const auto it = formulas().find(kernel.info.name);
    if (it == formulas().end()) {
        throw Error("kernel '" + kernel.info.name + "' has no extra-memory formula");
    }
    return it->second(s, kernel.facts, threads);
}

}  // namespace convkit::detail
