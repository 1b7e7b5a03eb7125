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
    return s.pointwise() && s.out_w() >= f.tile_x && s.out_h() >= f.tile_y;
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

// Input rows (or columns) that `outputs` consecutive outputs read, padding
// included.
int64_t input_reach(int64_t outputs, int64_t stride, int64_t kernel, int64_t dilation) {
    return (outputs - 1) * stride + (kernel - 1) * dilation + 1;
}

WorkspaceNeed one_buffer(int64_t floats) { return {size_t(floats) * kFloat, floats > 0 ? 1u : 0u}; }

WorkspaceNeed im2col_classic(const ConvShape& s, const ScheduleFacts& f, int) {
    if (needs_no_lowering(s, f)) return {};
    return one_buffer(s.N * s.groups * patch_row(s, f) * s.out_h());
}

// One buffer of tile_y patch rows per task; tasks = min(threads, the
// (n, g, channel block, row tile) iterations).
WorkspaceNeed im2col_tiled(const ConvShape& s, const ScheduleFacts& f, int threads) {
    if (needs_no_lowering(s, f)) return {};
    const int64_t iterations = s.N * s.groups * ceil_div(s.M / s.groups, f.block) *
                               ceil_div(s.out_h(), f.tile_y);
    const int64_t tasks = std::min<int64_t>(threads, iterations);
    return {size_t(tasks * patch_row(s, f) * f.tile_y) * kFloat, size_t(tasks)};
}

// MEC's lowered matrix: for each computed output column, the KW input columns
// of its strip over every input row the outputs read (padding included).
WorkspaceNeed mec_b(const ConvShape& s, const ScheduleFacts& f, int) {
    const int64_t rows = input_reach(s.out_h(), s.stride_h, s.KH, s.dilation_h);
    return one_buffer(s.N * s.C * s.KW * rows * computed_width(s, f));
}

// Solution A adds the output-sized temporary it transposes from.
WorkspaceNeed mec_a(const ConvShape& s, const ScheduleFacts& f, int threads) {
    const WorkspaceNeed lowered = mec_b(s, f, threads);
    return {lowered.bytes + size_t(s.output_elements()) * kFloat, lowered.buffers + 1};
}

// im2win's window tensor: for each output row, the KH input rows it reads
// over every input column the computed outputs read (padding included).
WorkspaceNeed im2win(const ConvShape& s, const ScheduleFacts& f, int) {
    const int64_t columns = input_reach(computed_width(s, f), s.stride_w, s.KW, s.dilation_w);
    return one_buffer(s.N * s.C * s.KH * columns * s.out_h());
}

// direct_padded's zero-padded, channel-blocked copy of the input: the input
// rows and columns that the computed outputs read (padding included; an
// output narrower than a segment computes whole register tiles of columns,
// and every output at least a tile of rows: schedules/tiling.h
// tile_output_in_segments; an output exactly as wide as one of the row
// tiles computes its own rows and columns, one whole row per tile), for
// each group's channels rounded up to whole blocks of 16.
WorkspaceNeed padded_input(const ConvShape& s, const ScheduleFacts& f, int) {
    constexpr int64_t kChannelBlock = 16;  // generators/direct_padded_generator.cpp
    const bool whole_rows = s.out_w() < 31 && ((f.row_tile_widths >> s.out_w()) & 1) != 0;
    const int64_t computed_columns = s.out_w() >= f.segment_columns || whole_rows
                                         ? s.out_w()
                                         : ceil_div(s.out_w(), f.tile_x) * f.tile_x;
    const int64_t computed_rows = whole_rows ? s.out_h() : std::max<int64_t>(s.out_h(), f.tile_y);
    const int64_t columns = input_reach(computed_columns, s.stride_w, s.KW, s.dilation_w);
    const int64_t rows = input_reach(computed_rows, s.stride_h, s.KH, s.dilation_h);
    const int64_t blocks = ceil_div(s.C / s.groups, kChannelBlock);
    return one_buffer(s.N * s.groups * blocks * kChannelBlock * rows * columns);
}

// kn2row's per-tap GEMM result over every input position, for the output
// channels of a group rounded up to whole weight blocks.
int64_t tap_product(const ConvShape& s, const ScheduleFacts& f) {
    return ceil_div(s.M / s.groups, f.block) * f.block * s.H * s.W;
}

WorkspaceNeed kn2row_all_taps(const ConvShape& s, const ScheduleFacts& f, int) {
    return one_buffer(s.N * s.groups * s.KH * s.KW * tap_product(s, f));
}

WorkspaceNeed kn2row_aa(const ConvShape& s, const ScheduleFacts& f, int) {
    return one_buffer(tap_product(s, f));
}

WorkspaceNeed nothing(const ConvShape&, const ScheduleFacts&, int) { return {}; }

// A kernel's extra memory: the code that computes it and the same formula
// as text (KernelInfo::extra_memory), side by side so they change together.
struct Formula {
    std::function<WorkspaceNeed(const ConvShape&, const ScheduleFacts&, int)> need;
    const char* text;  // in floats; symbols: extra_memory_legend()
};

const std::map<std::string, Formula>& formulas() {
    static const std::map<std::string, Formula> table = {
        {"direct", {nothing, "0"}},
        {"direct_dw", {nothing, "0"}},
        {"direct_rows", {nothing, "0"}},
        {"direct_padded", {padded_input, "N*g*C16*Hr*Wr"}},
        {"im2col", {im2col_classic, "N*C*KH*KW*Ho*Wo' (0 for 1x1/s1/unpadded)"}},
        {"im2col_tiled", {im2col_tiled, "T*(C/g)*KH*KW*Wo'*tile_y (0 for 1x1/s1/unpadded)"}},
        {"mec_a", {mec_a, "N*C*KW*Hr*Wo' + N*M*Ho*Wo"}},
        {"mec_b", {mec_b, "N*C*KW*Hr*Wo'"}},
        {"im2win", {im2win, "N*C*KH*Wr*Ho"}},
        {"kn2row", {kn2row_all_taps, "N*g*KH*KW*M'*H*W"}},
        {"kn2row_aa", {kn2row_aa, "M'*H*W"}},
        {"kn2row_as", {nothing, "0"}},
    };
    return table;
}

const Formula& formula_of(const std::string& kernel) {
    const auto it = formulas().find(kernel);
    if (it == formulas().end()) throw Error("kernel '" + kernel + "' has no extra-memory formula");
    return it->second;
}

}  // namespace

WorkspaceNeed workspace_need(const KernelEntry& kernel, const ConvShape& s, int threads) {
    return formula_of(kernel.info.name).need(s, kernel.facts, threads);
}

std::string workspace_formula_text(const std::string& kernel) { return formula_of(kernel).text; }

size_t workspace_block_bytes(const WorkspaceNeed& need) {
    if (need.bytes == 0) return 0;
    return need.bytes + (need.buffers + 1) * kWorkspaceAlignment;
}

}  // namespace convkit::detail

namespace convkit {

const char* extra_memory_legend() {
    return "extra memory in floats (4 bytes each); Ho, Wo: output size; g: groups;\n"
           "Wo' = max(Wo, tile_x): narrow outputs compute a whole register tile;\n"
           "Hr, Wr: input rows/columns the computed outputs read (padding included;\n"
           "outputs narrower or shorter than a register tile compute a whole one);\n"
           "C16 = C/g rounded up to a multiple of 16;\n"
           "M' = M/g rounded up to the weight block; T = threads in use (a bound;\n"
           "exact at 1 thread). Measured figures: docs/memory.md, `convkit bench --memory-only`.\n";
}

}  // namespace convkit
