// Plan: validates a convolution, packs its weights once for the chosen kernel
// and runs it on caller buffers through zero-copy Halide views.
#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include "convkit/convkit.h"
#include "memory.h"
#include "regions.h"
#include "registry.h"
#include "workspace.h"

namespace convkit {
namespace {

using detail::KernelEntry;

[[noreturn]] void fail(const std::string& message) { throw Error(message); }

// Halide reports kernel failures through this handler; keep the message so the
// Error thrown to the caller carries it.
thread_local std::string last_halide_error;

void record_halide_error(void* /*user_context*/, const char* message) {
    last_halide_error = message ? message : "";
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

// A halide_buffer_t over caller memory with explicit dims (min 0).
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

void validate_options(const Options& o, const float* weights, const float* bias) {
    if (o.threads < 1 || o.threads > 1024) {
        fail("threads=" + std::to_string(o.threads) + " must be in [1, 1024]");
    }
    if (!weights) fail("weights=null: a weight tensor is required");
    if (uses_bias(o.epilogue) && !bias) fail("bias=null but the epilogue adds a bias");
}

// Until the runtime has a cost model (see the selection issue), "auto" picks
// the direct schedule that vectorizes over the dimension with more work.
const KernelEntry& choose_kernel(const ConvShape& s, const Options& o) {
    if (o.kernel != "auto") return detail::find_kernel(o.kernel, o.isa);
    const bool few_outputs_per_group = s.M / s.groups < 8;
    return detail::find_kernel(few_outputs_per_group ? "direct_dw" : "direct", o.isa);
}

}  // namespace

struct Plan::Impl {
    ConvShape shape;
    Options options;
    const KernelEntry* kernel = nullptr;
    int block = 0;    // output channels per packed weight block
    int blocks = 0;   // packed blocks per group
    std::vector<float> weights;  // (lane, c, kx, ky, block, g)
    std::vector<float> bias;     // (lane, block, g)
    std::vector<detail::Region> regions;  // output regions, one kernel call each

    int64_t group_in() const { return shape.C / shape.groups; }
    int64_t group_out() const { return shape.M / shape.groups; }

    View input_view(const float* p) const {
        const ConvShape& s = shape;
        return View(p, {{0, s.W, 1}, {0, s.H, s.W}, {0, group_in(), s.H * s.W},
                        {0, s.groups, group_in() * s.H * s.W}, {0, s.N, s.C * s.H * s.W}});
    }
    // The output columns and rows of `r`, all channels and images.
    View output_view(float* p, const detail::Region& r) const {
        const ConvShape& s = shape;
        const int64_t width = s.out_w(), plane = s.out_h() * width;
        return View(p + r.y0 * width + r.x0,
                    {{r.x0, r.x1 - r.x0, 1}, {r.y0, r.y1 - r.y0, width}, {0, group_out(), plane},
                     {0, s.groups, group_out() * plane}, {0, s.N, s.M * plane}});
    }
    View weights_view() const {
        const ConvShape& s = shape;
        const int64_t tap = block * group_in();
        return View(weights.data(), {{0, block, 1}, {0, group_in(), block}, {0, s.KW, tap},
                                     {0, s.KH, tap * s.KW}, {0, blocks, tap * s.KW * s.KH},
                                     {0, s.groups, tap * s.KW * s.KH * blocks}});
    }
    View bias_view() const {
        return View(bias.data(), {{0, block, 1}, {0, blocks, block}, {0, shape.groups, block * blocks}});
    }

    int call(View& in, View& w, View& b, View& out) const {
        const ConvShape& s = shape;
        return kernel->fn(&in.buf, &w.buf, &b.buf, int(s.stride_w), int(s.stride_h),
                          int(s.dilation_w), int(s.dilation_h), int(s.pad_left), int(s.pad_top),
                          options.epilogue == Epilogue::BiasRelu, options.threads, &out.buf);
    }

    void choose_blocking() {
        block = kernel->facts.block;
        blocks = int((group_out() + block - 1) / block);
        const detail::ScheduleFacts& f = kernel->facts;
        regions = f.split_regions ? detail::split_output(shape, f.tile_x, f.tile_y)
                                  : std::vector<detail::Region>{{0, shape.out_w(), 0, shape.out_h()}};
    }

    void pack(const float* src_weights, const float* src_bias) {
        const ConvShape& s = shape;
        const int64_t cg = group_in(), mg = group_out();
        weights.assign(size_t(s.groups * blocks * s.KH * s.KW * cg * block), 0.0f);
        bias.assign(size_t(s.groups * blocks * block), 0.0f);
        size_t at = 0;
        for (int64_t g = 0; g < s.groups; g++)
            for (int64_t blk = 0; blk < blocks; blk++)
                for (int64_t ky = 0; ky < s.KH; ky++)
                    for (int64_t kx = 0; kx < s.KW; kx++)
                        for (int64_t c = 0; c < cg; c++)
                            for (int64_t lane = 0; lane < block; lane++, at++) {
                                const int64_t m = blk * block + lane;
                                if (m >= mg) continue;
                                const int64_t oc = g * mg + m;
                                weights[at] = src_weights[((oc * cg + c) * s.KH + ky) * s.KW + kx];
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
    validate_options(options, weights, bias);
    install_halide_hooks();
    auto impl = std::make_unique<Impl>();
    impl->shape = shape;
    impl->options = options;
    impl->kernel = &choose_kernel(shape, options);
    impl->choose_blocking();
    impl->pack(weights, bias);
    ensure_thread_pool(options.threads);
    impl_ = impl.release();
}

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
    const auto* in_begin = reinterpret_cast<const char*>(input);
    const auto* out_begin = reinterpret_cast<const char*>(output);
    const size_t in_bytes = size_t(impl_->shape.input_elements()) * sizeof(float);
    const size_t out_bytes = size_t(impl_->shape.output_elements()) * sizeof(float);
    if (in_begin < out_begin + out_bytes && out_begin < in_begin + in_bytes) {
        fail("output aliases input: convolution cannot run in place");
    }
    View in = impl_->input_view(input);
    View w = impl_->weights_view(), b = impl_->bias_view();
    for (const detail::Region& region : impl_->regions) {
        View out = impl_->output_view(output, region);
        if (impl_->call(in, w, b, out) != 0) {
            fail("kernel '" + impl_->kernel->info.name + "' failed: " + last_halide_error);
        }
    }
}

const ConvShape& Plan::shape() const { return impl_->shape; }
const KernelInfo& Plan::kernel() const { return impl_->kernel->info; }
const std::string& Plan::isa() const { return impl_->kernel->info.isa; }
int Plan::threads() const { return impl_->options.threads; }
size_t Plan::workspace_bytes() const {
    return detail::workspace_bytes(*impl_->kernel, impl_->shape, impl_->options.threads);
}
size_t Plan::packed_weight_bytes() const {
    return (impl_->weights.size() + impl_->bias.size()) * sizeof(float);
}

}  // namespace convkit
