// convkit public API (C++17).
//
// Error mechanism: every function in this header reports invalid arguments and
// failures by throwing convkit::Error (derived from std::invalid_argument). The
// message names the offending field and its value, e.g.
//   "groups=3 does not divide C=64".
// A call that throws has written nothing to any caller-owned buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace convkit {

class Error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Memory layout of input and output tensors. Only NCHW exists today; the enum
// keeps room for NHWC without changing the shape type.
enum class Layout { NCHW };

// A 2-D convolution: input N x C x H x W, weights M x (C/groups) x KH x KW,
// output N x M x out_h() x out_w().
struct ConvShape {
    int64_t N = 1, C = 1, H = 1, W = 1;  // input
    int64_t M = 1;                       // output channels
    int64_t KH = 1, KW = 1;              // kernel
    int64_t stride_h = 1, stride_w = 1;
    int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
    int64_t dilation_h = 1, dilation_w = 1;
    int64_t groups = 1;
    Layout layout = Layout::NCHW;

    int64_t out_h() const;
    int64_t out_w() const;
    int64_t input_elements() const { return N * C * H * W; }
    int64_t weight_elements() const { return M * (C / groups) * KH * KW; }
    int64_t output_elements() const { return N * M * out_h() * out_w(); }
    // 1x1, stride 1, no padding: every output reads the input pixel at its
    // own place (the input already is the GEMM operand).
    bool pointwise() const {
        return KH == 1 && KW == 1 && stride_h == 1 && stride_w == 1 && pad_top == 0 && pad_bottom == 0 &&
               pad_left == 0 && pad_right == 0;
    }
    // 2 * N * M * (C/groups) * KH * KW * out_h * out_w
    double flops() const;
    // Throws Error naming the first invalid field.
    void validate() const;
    std::string to_string() const;
};

// Convenience constructor for the common square case.
ConvShape make_shape(int64_t N, int64_t C, int64_t H, int64_t W, int64_t M, int64_t K,
                     int64_t stride = 1, int64_t pad = 0, int64_t dilation = 1,
                     int64_t groups = 1);

enum class Epilogue { None, Bias, BiasRelu };

// "No limit" for Options::workspace_limit.
constexpr size_t kUnlimited = SIZE_MAX;

// How kernel = "auto" predicts the time of each candidate kernel.
enum class Selection {
    Table,    // the timing table (built in, or Options::timings_file), else a model
    Measure,  // time every candidate now, at plan creation (slower to plan)
};

struct Options {
    std::string kernel = "auto";  // a name from kernels(), or "auto"
    std::string isa = "auto";     // an ISA from supported_isas(), or "auto" (the best)
    int threads = 1;              // worker threads for one run (>= 1)
    Epilogue epilogue = Epilogue::None;
    // The most extra memory (Plan::workspace_bytes()) the plan may use. With
    // kernel = "auto" the fastest kernel within it is chosen; a named kernel
    // over it is refused. 0 always has an answer: the direct kernels.
    size_t workspace_limit = kUnlimited;
    // Results bit-identical for any thread count: only kernels that never
    // split a reduction across threads (today every kernel qualifies).
    bool deterministic = false;
    Selection selection = Selection::Table;
    // A timing table written by convkit_tune (CSV) to use instead of the
    // built-in one; "" = the environment variable CONVKIT_TIMINGS, else built in.
    std::string timings_file;
};

struct KernelInfo {
    std::string name;      // e.g. "direct"
    std::string lowering;  // e.g. "direct"
    std::string isa;       // "avx512", "avx2", "sse41" (x86-64) or "neon" (arm-64)
    std::string description;
    // Its extra memory in floats, as a formula: e.g. "N*C*KW*Hr*Wo'" (MEC),
    // "0" (direct). The symbols: extra_memory_legend(). The runtime computes
    // workspace_bytes() from the same table entry.
    std::string extra_memory;
};

// The kernels compiled into this library: one entry per kernel and ISA,
// including ISAs this CPU cannot run.
std::vector<KernelInfo> kernels();

// What the symbols of KernelInfo::extra_memory mean (several lines of text).
const char* extra_memory_legend();

// The compiled ISAs this CPU can run, best first; "auto" picks the first.
std::vector<std::string> supported_isas();

// A caller buffer with its length in elements, for the checked calls below.
template <class T>
struct Span {
    T* data = nullptr;
    size_t size = 0;
    Span() = default;
    Span(T* d, size_t n) : data(d), size(n) {}
    // From a contiguous container (std::vector, std::array).
    template <class C, class = decltype(std::declval<C&>().data())>
    Span(C& c) : data(c.data()), size(c.size()) {}
};

// One kernel considered by kernel = "auto".
struct Candidate {
    KernelInfo kernel;
    size_t workspace_bytes = 0;  // its extra memory for this shape and thread count
    double predicted_ms = -1;    // predicted (or measured) time; < 0: unknown
    std::string basis;           // where predicted_ms comes from
    std::string rejected;        // why it cannot be chosen; empty when eligible
    bool chosen = false;
};

// Why kernel = "auto" picks what it picks: every compiled kernel for the ISA.
struct Explanation {
    ConvShape shape;
    Options options;
    std::string isa;  // the ISA the candidates run on
    std::vector<Candidate> candidates;  // fastest predicted first
    const Candidate& choice() const;
    std::string to_string() const;  // a table, one line per candidate
};

// The choice a Plan with these options would make. Throws Error for an
// invalid shape or options, or when no kernel fits (never with a limit >= 0
// and the direct kernels compiled in).
Explanation explain(const ConvShape& shape, const Options& options = {});

// A convolution with its weights packed once for one kernel. Immutable after
// construction; run() may be called any number of times.
class Plan {
public:
    // weights: M x (C/groups) x KH x KW floats. bias: M floats, required when
    // the epilogue uses it, ignored otherwise (may be null then).
    Plan(const ConvShape& shape, const float* weights, const float* bias,
         const Options& options = {});
    // The same, checking the buffer sizes: weights.size must equal
    // shape.weight_elements(), bias.size M when the epilogue uses it.
    Plan(const ConvShape& shape, Span<const float> weights, Span<const float> bias,
         const Options& options = {});
    ~Plan();
    Plan(Plan&&) noexcept;
    Plan& operator=(Plan&&) noexcept;
    Plan(const Plan&) = delete;
    Plan& operator=(const Plan&) = delete;

    // input: N x C x H x W, output: N x M x out_h x out_w, both dense NCHW.
    // Scratch memory (workspace_bytes()) comes from a block the plan
    // allocates at its first run and keeps; a run concurrent with another
    // run of the same plan takes its scratch from the heap instead.
    // Thread-safe: one plan may run on several threads at once.
    void run(const float* input, float* output) const;
    // Checked: sizes are compared with the shape before anything is written.
    // `workspace`, when given, must hold workspace_bytes() bytes; the run
    // then allocates nothing (one arena can serve a whole network's plans,
    // run one after another).
    void run(Span<const float> input, Span<float> output, Span<unsigned char> workspace = {}) const;

    const ConvShape& shape() const;
    const KernelInfo& kernel() const;  // the kernel and the ISA that runs
    const std::string& isa() const;    // kernel().isa
    int threads() const;
    // Extra memory of one run(): the scratch the kernel allocates (its
    // formula in docs/memory.md) plus 128 bytes of alignment per buffer, at
    // the plan's thread count. What a caller workspace must hold.
    size_t workspace_bytes() const;
    // How "auto" chose this plan's kernel (for a named kernel: that kernel).
    const Explanation& explanation() const;
    // Bytes held by the plan for packed weights and bias.
    size_t packed_weight_bytes() const;

    struct Impl;

private:
    Impl* impl_;
};

// Measures the heap memory Halide kernels allocate (through halide_malloc)
// while a probe is alive. Probes are process-wide: measure one run at a time.
class MemoryProbe {
public:
    MemoryProbe();  // resets the peak to the bytes live now
    size_t peak_bytes() const;     // peak bytes live above the start level
    size_t allocations() const;    // non-empty halide_malloc calls since construction
    size_t heap_allocations() const;  // those not served from a workspace block

private:
    size_t start_live_;
    size_t start_count_;
    size_t start_heap_count_;
};

// Median milliseconds of one plan.run() over `samples` timed runs (after one
// warm-up run) on zero-filled buffers. What Selection::Measure and
// convkit_tune use.
double measure_run_ms(const Plan& plan, int samples = 5);

}  // namespace convkit
