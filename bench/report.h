// Benchmark results: one Row per candidate of a layer, and the text table.
#pragma once

#include "fma_peak.h"
#include "layer_suite.h"
#include "measure.h"

#include <cstddef>
#include <string>
#include <vector>

namespace convkit_bench {

struct Row {
    std::string layer, cls, shape, kernel, isa;
    int threads = 0;
    bool ok = false;
    std::string status;  // "ok" or the reason there is no measurement
    double median_ms = 0, min_ms = 0, gflops = 0;
    size_t workspace_bytes = 0, peak_bytes = 0, allocations = 0;
    bool peak_measured = false;  // MemoryProbe sees only Halide kernels
    double vs_im2col = 0;  // workspace_bytes / im2col's; 0 when im2col needs none
    double pct_peak = 0;   // GFLOP/s in percent of the FMA peak at this thread count; 0: n/a
    double x_onednn = 0;   // best oneDNN median / this median (>1: faster); 0: n/a
    int iters = 0;
};

// What rows of a layer are relative to.
struct Reference {
    size_t im2col_bytes = 0;  // 0: im2col needs no lowering here or is not built
    double peak_gflops = 0;   // 0: not measured
};

// Extra bytes of the im2col kernel on this layer (0 when not compiled).
size_t im2col_bytes(const Layer& layer, int threads);

std::vector<Row> make_rows(const Layer& layer, const std::vector<Candidate>& cands,
                           int threads, bool memory_only, const Reference& ref);

// Fixed-width text table on stdout; column widths are fixed before the first row.
class Table {
public:
    Table(const std::vector<Layer>& layers, const std::vector<std::string>& kernels);
    void print_header() const;
    void print(const Row& r) const;

private:
    static int w(size_t width) { return static_cast<int>(width); }
    size_t layer_w_ = 5, kernel_w_ = 11, isa_w_ = 6;
};

}  // namespace convkit_bench
