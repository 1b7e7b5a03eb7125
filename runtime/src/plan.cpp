// Plan: validates a convolution, packs its weights once for the chosen kernel
// and runs it on caller buffers through zero-copy Halide views.
#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "convkit/convkit.h"
#include "memory.h"
#include "regions.h"
#include "registry.h"
#include "run_context.h"
#include "selection.h"
#include "workspace.h"
#include "workspace_arena.h"

namespace convkit {
namespace {

using detail::KernelEntry;

[[noreturn]] void fail(const std::string& message) { throw Error(message); }

// Halide reports kernel failures through this handler, with the run's
// RunContext as user_context: the Error thrown to the caller carries it.
void record_halide_error(void* user_context, const char* message) {
    if (user_context) static_cast<detail::RunContext*>(user_context)->record_error(message);
}

void install_halide_hooks() {
    static std::once_flag once;
    std::call_once(once, [] { halide_set_error_handler(record_halide_error); });
    detail::install_memory_hook();
}

// The Halide thread pool must hold at least the largest thread count a plan
// asks for; each run then splits its work into exactly its own count.
void ensure_thread_pool(int threads) {
    static std::mutex mutex;
    static int pool = 0;
    std::lock_guard<std::mutex> lock(mutex);
    const int wanted = std::max<int>(threads, int(std::thread::hardware_concurrency()));
    if (wanted > pool) {
        halide_set_num_threads(wanted);
        pool = wanted;
    }
}

// A halide_buffer_t over caller memory: dims given as {min, extent, stride};
// `host` points at the element at the mins.
struct View {
    struct Dim {
        int64_t min, extent, stride;
    };
    halide_dimension_t dims[6] = {};
    halide_buffer_t buf = {};

    View(const float* host, std::initializer_list<Dim> dim_list) {
        buf.host = reinterpret_cast<uint8_t*>(const_cast<float*>(host));
        buf.type = halide_type_t(halide_type_float, 32);
        buf.dimensions = int(dim_list.size());
        buf.dim = dims;
        int i = 0;
        for (const Dim& d : dim_list) {
            dims[i++] = halide_dimension_t(int32_t(d.min), int32_t(d.extent), int32_t(d.stride));
        }
    }
    View(const View&) = delete;
};

bool uses_bias(Epilogue e) { return e != Epilogue::None; }

void validate_buffers(const Options& o, const float* weights, const float* bias) {
    if (!weights) fail("weights=null: a weight tensor is required");
    if (uses_bias(o.epilogue) && !bias) fail("bias=null but the epilogue adds a bias");
}

// Weights and bias must match the shape exactly; input and output buffers
// may be larger than it (Fit::AtLeast).
enum class Fit { Exactly, AtLeast };

void require_floats(const char* name, size_t size, int64_t needed, const char* formula, Fit fit) {
    const bool fits = fit == Fit::Exactly ? size == size_t(needed) : size >= size_t(needed);
    if (!fits) {
        fail(std::string(name) + " has " + std::to_string(size) + " floats, the shape needs " +
             formula + " = " + std::to_string(needed));
    }
}

// `shape`, once the buffer sizes match it (validated first: the comparisons
// need its element counts).
const ConvShape& with_sized_buffers(const ConvShape& shape, Span<const float> weights,
                                    Span<const float> bias, const Options& options) {
    shape.validate();
    require_floats("weights", weights.size, shape.weight_elements(), "M*(C/groups)*KH*KW", Fit::Exactly);
    if (uses_bias(options.epilogue)) require_floats("bias", bias.size, shape.M, "M", Fit::Exactly);
    return shape;
}

// The kernel the options name, or the one "auto" chooses; with its reasons.
Explanation choose_kernel(const ConvShape& s, const Options& o) {
    if (o.kernel == "auto") return explain(s, o);
    Options named = o;
    named.isa = detail::find_kernel(o.kernel, o.isa).info.isa;  // its errors name what exists
    return explain(s, named);
}

}  // namespace

struct Plan::Impl {
    ConvShape shape;
    Options options;
    Explanation explanation;
    const KernelEntry* kernel = nullptr;
    detail::WorkspaceNeed need;       // scratch of one run
    size_t workspace_bytes = 0;       // need in one block, alignment included
    std::unique_ptr<unsigned char[]> workspace;  // the plan's own block
    mutable std::mutex workspace_mutex;          // one run at a time uses it
    int block = 0;    // output channels per packed weight block
    int blocks = 0;   // packed blocks per group
    std::vector<float> weights;  // (lane, c, kx, ky, block, g)
    std::vector<float> bias;     // (lane, block, g)
    // The layer as the kernel sees it: `shape`, or its planes viewed as
    // other rows (detail::call_shape); the buffer views and regions use it.
    ConvShape called;
    std::vector<detail::Region> regions;  // output regions of `called`, one kernel call each

    int64_t group_in() const { return shape.C / shape.groups; }
    int64_t group_out() const { return shape.M / shape.groups; }

    // Every view of a region starts at its first group (r.g0), which the
    // kernel sees as group 0.

    // The input planes of r's groups; for a plane kind region, each plane's
    // columns run on past its ends as one flat row (detail::plane_reach),
    // over the neighbouring groups' planes, which the kernel reads masked;
    // for a masked kind region, each row's columns run on past its ends
    // (detail::masked_reach), over the neighbouring rows and planes.
    View input_view(const float* p, const detail::Region& r) const {
        const ConvShape& s = called;
        const int64_t plane = s.H * s.W, group = group_in() * plane;
        int64_t first = 0, width = s.W;
        if (r.kind == convkit_abi::kPlane) {
            const detail::PlaneReach reach = detail::plane_reach(s);
            first = -reach.before;
            width = plane + reach.before + reach.after;
        } else if (r.kind == convkit_abi::kMasked || r.kind == convkit_abi::kMaskedRows) {
            const detail::MaskedReach reach = detail::masked_reach(s);
            first = -reach.before;
            width = s.W + reach.before + reach.after;
        }
        return View(p + r.g0 * group + first, {{first, width, 1}, {0, s.H, s.W}, {0, group_in(), plane},
                                               {0, r.g1 - r.g0, group}, {0, s.N, s.C * plane}});
    }
    // The output columns and rows of `r`, all its groups' channels and
    // images; a plane kind region's whole planes as one row each.
    View output_view(float* p, const detail::Region& r) const {
        const ConvShape& s = called;
        const int64_t width = s.out_w(), plane = s.out_h() * width, group = group_out() * plane;
        const int64_t groups = r.g1 - r.g0;
        p += r.g0 * group;
        if (r.kind == convkit_abi::kPlane) {
            return View(p, {{0, plane, 1}, {0, 1, plane}, {0, group_out(), plane}, {0, groups, group},
                            {0, s.N, s.M * plane}});
        }
        return View(p + r.y0 * width + r.x0, {{r.x0, r.x1 - r.x0, 1}, {r.y0, r.y1 - r.y0, width},
                                              {0, group_out(), plane}, {0, groups, group}, {0, s.N, s.M * plane}});
    }
    // Floats from one kernel tap's packed weights to the next: a block's
    // weights for all input channels, plus a cache line where that is a
    // multiple of 4 KB. Otherwise (power-of-two channel counts) every tap of
    // a 3x3 kernel starts on the same L1 set, and a tile reading one
    // channel block's 9 taps (16 channels x 32 lanes each) evicts its own
    // weights: direct_padded on vgg_conv4_x stalled on the weight loads.
    int64_t tap_stride() const {
        const int64_t floats = int64_t(block) * group_in();
        constexpr int64_t kSetPeriod = 4096 / int64_t(sizeof(float)), kLine = 64 / int64_t(sizeof(float));
        return floats % kSetPeriod == 0 ? floats + kLine : floats;
    }
    View weights_view(const detail::Region& r) const {
        const ConvShape& s = shape;
        const int64_t tap = tap_stride(), group = tap * s.KW * s.KH * blocks;
        return View(weights.data() + r.g0 * group, {{0, block, 1}, {0, group_in(), block}, {0, s.KW, tap},
                                                    {0, s.KH, tap * s.KW}, {0, blocks, tap * s.KW * s.KH},
                                                    {0, r.g1 - r.g0, group}});
    }
    View bias_view(const detail::Region& r) const {
        const int64_t group = int64_t(block) * blocks;
        return View(bias.data() + r.g0 * group, {{0, block, 1}, {0, blocks, block}, {0, r.g1 - r.g0, group}});
    }

    int call(detail::RunContext& context, View& in, View& w, View& b, View& out,
             convkit_abi::RegionKind kind) const {
        const ConvShape& s = shape;
        return kernel->fn(&context, &in.buf, &w.buf, &b.buf, int(s.stride_w), int(s.stride_h),
                          int(s.dilation_w), int(s.dilation_h), int(s.pad_left), int(s.pad_top),
                          options.epilogue == Epilogue::BiasRelu, options.threads, int(kind), &out.buf);
    }

    // One run over caller buffers, scratch from `block` (null: the heap).
    void execute(const float* input, float* output, unsigned char* block) const {
        std::optional<detail::WorkspaceArena> arena;
        detail::RunContext context;
        if (block) context.arena = &arena.emplace(block, workspace_bytes, need.buffers);
        for (const detail::Region& region : regions) {
            View in = input_view(input, region), out = output_view(output, region);
            View w = weights_view(region), b = bias_view(region);
            if (call(context, in, w, b, out, region.kind) != 0) {
                fail("kernel '" + kernel->info.name + "' failed: " + context.first_error());
            }
        }
    }

    // Scratch from the plan's block, or from the heap while another run holds it.
    void execute_with_own_workspace(const float* input, float* output) const {
        std::unique_lock<std::mutex> lock(workspace_mutex, std::try_to_lock);
        execute(input, output, lock.owns_lock() ? workspace.get() : nullptr);
    }

    void check_no_alias(const float* input, const float* output) const {
        const auto* in_begin = reinterpret_cast<const char*>(input);
        const auto* out_begin = reinterpret_cast<const char*>(output);
        const size_t in_bytes = size_t(shape.input_elements()) * sizeof(float);
        const size_t out_bytes = size_t(shape.output_elements()) * sizeof(float);
        if (in_begin < out_begin + out_bytes && out_begin < in_begin + in_bytes) {
            fail("output aliases input: convolution cannot run in place");
        }
    }

    void choose_blocking() {
        block = kernel->facts.block;
        blocks = int((group_out() + block - 1) / block);
        const detail::ScheduleFacts& f = kernel->facts;
        called = detail::call_shape(shape, f);
        const detail::Region whole{0, called.out_w(), 0, called.out_h(), convkit_abi::kBorder, 0, called.groups};
        regions = f.split_regions ? detail::split_output(called, f) : std::vector<detail::Region>{whole};
    }

    void pack(const float* src_weights, const float* src_bias) {
        const ConvShape& s = shape;
        const int64_t cg = group_in(), mg = group_out();
        const int64_t tap = tap_stride(), taps = s.KH * s.KW;
        weights.assign(size_t(s.groups * blocks * taps * tap), 0.0f);
        bias.assign(size_t(s.groups * blocks * block), 0.0f);
        for (int64_t g = 0; g < s.groups; g++)
            for (int64_t blk = 0; blk < blocks; blk++)
                for (int64_t ky = 0; ky < s.KH; ky++)
                    for (int64_t kx = 0; kx < s.KW; kx++) {
                        const int64_t first = ((g * blocks + blk) * taps + ky * s.KW + kx) * tap;
                        for (int64_t c = 0; c < cg; c++)
                            for (int64_t lane = 0; lane < block; lane++) {
                                const int64_t m = blk * block + lane;
                                if (m >= mg) continue;
                                const int64_t oc = g * mg + m;
                                weights[size_t(first + c * block + lane)] =
                                    src_weights[((oc * cg + c) * s.KH + ky) * s.KW + kx];
                            }
                    }
        if (!uses_bias(options.epilogue)) return;
        for (int64_t g = 0; g < s.groups; g++)
            for (int64_t m = 0; m < mg; m++) {
                bias[size_t((g * blocks + m / block) * block + m % block)] = src_bias[g * mg + m];
            }
    }
};

Plan::Plan(const ConvShape& shape, const float* weights, const float* bias, const Options& options)
    : impl_(nullptr) {
    shape.validate();
    detail::validate_options(options);
    validate_buffers(options, weights, bias);
    install_halide_hooks();
    auto impl = std::make_unique<Impl>();
    impl->shape = shape;
    impl->options = options;
    impl->explanation = choose_kernel(shape, options);
    impl->kernel = &detail::find_kernel(impl->explanation.choice().kernel.name, impl->explanation.isa);
    impl->need = detail::workspace_need(*impl->kernel, shape, options.threads);
    impl->workspace_bytes = detail::workspace_block_bytes(impl->need);
    impl->choose_blocking();
    impl->pack(weights, bias);
    if (impl->workspace_bytes > 0) impl->workspace.reset(new unsigned char[impl->workspace_bytes]);
    ensure_thread_pool(options.threads);
    impl_ = impl.release();
}

Plan::Plan(const ConvShape& shape, Span<const float> weights, Span<const float> bias,
           const Options& options)
    : Plan(with_sized_buffers(shape, weights, bias, options), weights.data, bias.data, options) {}

Plan::~Plan() { delete impl_; }
Plan::Plan(Plan&& other) noexcept : impl_(other.impl_) { other.impl_ = nullptr; }
Plan& Plan::operator=(Plan&& other) noexcept {
    std::swap(impl_, other.impl_);
    return *this;
}

void Plan::run(const float* input, float* output) const {
    if (!impl_) fail("run() on a moved-from plan");
    if (!input) fail("input=null: an input tensor is required");
    if (!output) fail("output=null: an output tensor is required");
    impl_->check_no_alias(input, output);
    impl_->execute_with_own_workspace(input, output);
}

void Plan::run(Span<const float> input, Span<float> output, Span<unsigned char> workspace) const {
    if (!impl_) fail("run() on a moved-from plan");
    if (!input.data) fail("input=null: an input tensor is required");
    if (!output.data) fail("output=null: an output tensor is required");
    const ConvShape& s = impl_->shape;
    require_floats("input", input.size, s.input_elements(), "N*C*H*W", Fit::AtLeast);
    require_floats("output", output.size, s.output_elements(), "N*M*out_h*out_w", Fit::AtLeast);
    impl_->check_no_alias(input.data, output.data);
    if (!workspace.data && workspace.size > 0) fail("workspace=null with a size of " + std::to_string(workspace.size));
    if (!workspace.data) return impl_->execute_with_own_workspace(input.data, output.data);
    if (workspace.size < impl_->workspace_bytes) {
        fail("workspace has " + std::to_string(workspace.size) + " bytes, workspace_bytes() = " +
             std::to_string(impl_->workspace_bytes));
    }
    impl_->execute(input.data, output.data, impl_->workspace_bytes ? workspace.data : nullptr);
}

const ConvShape& Plan::shape() const { return impl_->shape; }
const KernelInfo& Plan::kernel() const { return impl_->kernel->info; }
const std::string& Plan::isa() const { return impl_->kernel->info.isa; }
int Plan::threads() const { return impl_->options.threads; }
size_t Plan::workspace_bytes() const { return impl_->workspace_bytes; }
const Explanation& Plan::explanation() const { return impl_->explanation; }
size_t Plan::packed_weight_bytes() const {
    return (impl_->weights.size() + impl_->bias.size()) * sizeof(float);
}

}  // namespace convkit
