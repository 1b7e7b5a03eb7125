#include "report.h"

#include <algorithm>
#include <cstdio>

namespace convkit_bench {
namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

const convkit::KernelInfo* find_kernel(const std::vector<convkit::KernelInfo>& all,
                                       const std::string& name) {
    for (const auto& k : all)
        if (k.name == name) return &k;
    return nullptr;
}

void describe_contender(Row& row, const Candidate& c, const Reference& ref) {
    if (c.impl) {
        row.kernel = c.impl->kernel();
        row.isa = c.impl->isa();
        row.threads = c.impl->threads();
        row.workspace_bytes = c.impl->workspace_bytes();
        row.peak_measured = c.impl->memory_is_measurable();
        if (ref.im2col_bytes > 0)
            row.vs_im2col = double(row.workspace_bytes) / double(ref.im2col_bytes);
    } else if (const auto* info = find_kernel(convkit::kernels(), c.kernel)) {
        row.isa = info->isa;
    }
}

void add_timing(Row& row, const Layer& layer, const Candidate& c, const Reference& ref) {
    row.median_ms = median(c.samples_ms);
    row.min_ms = *std::min_element(c.samples_ms.begin(), c.samples_ms.end());
    row.gflops = layer.shape.flops() / (row.median_ms * 1e6);
    if (ref.peak_gflops > 0) row.pct_peak = 100 * row.gflops / ref.peak_gflops;
    row.iters = c.iters;
}

Row make_row(const Layer& layer, const Candidate& c, int threads, bool memory_only,
             const Reference& ref) {
    Row row;
    row.layer = layer.name, row.cls = layer.cls, row.shape = layer.shape.to_string();
    row.kernel = c.kernel, row.isa = c.isa, row.threads = threads;
    describe_contender(row, c, ref);
    row.ok = c.ok() && (memory_only || !c.samples_ms.empty());
    row.status = row.ok ? "ok" : (c.error.empty() ? "no samples" : c.error);
    row.peak_bytes = c.peak_bytes;
    row.allocations = c.allocations;
    if (row.ok && !memory_only) add_timing(row, layer, c, ref);
    return row;
}

// x_onednn = best oneDNN median / each row's median.
void compare_with_peers(std::vector<Row>& rows, const std::vector<Candidate>& cands) {
    double best = 0;
    for (size_t i = 0; i < rows.size(); ++i)
        if (cands[i].impl && cands[i].impl->is_peer() && rows[i].median_ms > 0)
            best = best == 0 ? rows[i].median_ms : std::min(best, rows[i].median_ms);
    if (best == 0) return;
    for (Row& r : rows)
        if (r.median_ms > 0) r.x_onednn = best / r.median_ms;
}

// "%8.3f" of v, or "-" when v is 0 (not available).
std::string optional_number(double v, const char* format) {
    if (v == 0) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string measured_peak(const Row& r) {
    return r.peak_measured ? std::to_string(r.peak_bytes) : "-";
}

}  // namespace

size_t im2col_bytes(const Layer& layer, int threads) {
    if (!find_kernel(convkit::kernels(), "im2col")) return 0;
    const std::vector<float> weights(size_t(layer.shape.weight_elements()), 0.0f);
    convkit::Options opt;
    opt.kernel = "im2col";
    opt.threads = threads;
    return convkit::Plan(layer.shape, weights.data(), nullptr, opt).workspace_bytes();
}

std::vector<Row> make_rows(const Layer& layer, const std::vector<Candidate>& cands,
                           int threads, bool memory_only, const Reference& ref) {
    std::vector<Row> rows;
    for (const Candidate& c : cands) rows.push_back(make_row(layer, c, threads, memory_only, ref));
    compare_with_peers(rows, cands);
    return rows;
}

Table::Table(const std::vector<Layer>& layers, const std::vector<std::string>& kernels) {
    for (const Layer& l : layers) layer_w_ = std::max(layer_w_, l.name.size());
    for (const std::string& k : kernels) kernel_w_ = std::max(kernel_w_, k.size());
    const bool has_auto = std::find(kernels.begin(), kernels.end(), "auto") != kernels.end();
    for (const auto& k : convkit::kernels()) {
        isa_w_ = std::max(isa_w_, k.isa.size());
        if (has_auto) kernel_w_ = std::max(kernel_w_, k.name.size() + 5);
    }
}

void Table::print_header() const {
    std::printf("%-*s  %-*s  %-*s  %3s  %10s  %10s  %9s  %6s  %8s  %13s  %13s  %8s\n",
                w(layer_w_), "layer", w(kernel_w_), "kernel", w(isa_w_), "isa", "thr",
                "median_ms", "min_ms", "GFLOP/s", "%peak", "x_onednn", "workspace_B", "peak_B",
                "x_im2col");
}

void Table::print(const Row& r) const {
    std::printf("%-*s  %-*s  %-*s  %3d  ", w(layer_w_), r.layer.c_str(), w(kernel_w_),
                r.kernel.c_str(), w(isa_w_), r.isa.c_str(), r.threads);
    if (!r.ok) {
        std::printf("%s\n", r.status.c_str());
    } else if (r.median_ms > 0) {
        std::printf("%10.4f  %10.4f  %9.2f  %6s  %8s  %13zu  %13s  %8.3f\n", r.median_ms,
                    r.min_ms, r.gflops, optional_number(r.pct_peak, "%.1f").c_str(),
                    optional_number(r.x_onednn, "%.3f").c_str(), r.workspace_bytes,
                    measured_peak(r).c_str(), r.vs_im2col);
    } else {  // --memory-only
        std::printf("%10s  %10s  %9s  %6s  %8s  %13zu  %13s  %8.3f\n", "-", "-", "-", "-", "-",
                    r.workspace_bytes, measured_peak(r).c_str(), r.vs_im2col);
    }
    std::fflush(stdout);
}

}  // namespace convkit_bench
