#include "onednn_peer.h"

#include "output_check.h"

#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

#include <unordered_map>

namespace convkit_bench {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Args = std::unordered_map<int, memory>;

memory::dims src_dims(const convkit::ConvShape& s) { return {s.N, s.C, s.H, s.W}; }
memory::dims dst_dims(const convkit::ConvShape& s) { return {s.N, s.M, s.out_h(), s.out_w()}; }

memory::dims weight_dims(const convkit::ConvShape& s) {
    if (s.groups == 1) return {s.M, s.C, s.KH, s.KW};
    return {s.groups, s.M / s.groups, s.C / s.groups, s.KH, s.KW};
}

Tag weight_tag(const convkit::ConvShape& s) { return s.groups == 1 ? Tag::oihw : Tag::goihw; }

memory::desc f32(const memory::dims& dims, Tag tag) {
    return memory::desc(dims, memory::data_type::f32, tag);
}

memory wrap(const memory::desc& desc, const dnnl::engine& engine, const float* data) {
    return memory(desc, engine, const_cast<float*>(data));
}

// One oneDNN convolution of a layer: the primitive, its weights reordered
// once into the format it chose, and a scratchpad this code owns (so its
// size is known).
struct Convolution {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream{engine};
    dnnl::convolution_forward::primitive_desc pd;
    dnnl::convolution_forward primitive;
    memory weights, scratchpad;

    Convolution(const convkit::ConvShape& s, const std::vector<float>& user_weights) {
        pd = make_primitive_desc(s);
        primitive = dnnl::convolution_forward(pd);
        weights = memory(pd.weights_desc(), engine);
        reorder(wrap(f32(weight_dims(s), weight_tag(s)), engine, user_weights.data()), weights);
        stream.wait();
        scratchpad = memory(pd.scratchpad_desc(), engine);
    }

    dnnl::convolution_forward::primitive_desc make_primitive_desc(const convkit::ConvShape& s) {
        auto any = [](const memory::dims& d) { return f32(d, Tag::any); };
        dnnl::convolution_forward::desc desc(
            dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
            any(src_dims(s)), any(weight_dims(s)), any(dst_dims(s)), {s.stride_h, s.stride_w},
            {s.dilation_h - 1, s.dilation_w - 1}, {s.pad_top, s.pad_left},
            {s.pad_bottom, s.pad_right});
        dnnl::primitive_attr attr;
        attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
        return dnnl::convolution_forward::primitive_desc(desc, attr, engine);
    }

    void reorder(memory from, memory to) {
        dnnl::reorder(from, to).execute(stream, from, to);
    }

    // Submits the convolution of src into dst (no wait).
    void execute(const memory& src, const memory& dst) {
        primitive.execute(stream, Args{{DNNL_ARG_SRC, src},
                                       {DNNL_ARG_WEIGHTS, weights},
                                       {DNNL_ARG_DST, dst},
                                       {DNNL_ARG_SCRATCHPAD, scratchpad}});
    }
};

// Shared by both variants: identity, threads, verification.
class OnednnContender : public Contender {
public:
    OnednnContender(const Layer& layer, const std::vector<float>& weights, int threads,
                    Buffers& io)
        : conv_(layer.shape, weights), threads_(threads), io_(io),
          user_src_(wrap(f32(src_dims(layer.shape), Tag::nchw), conv_.engine, io.input.data())),
          user_dst_(wrap(f32(dst_dims(layer.shape), Tag::nchw), conv_.engine, io.output.data())) {}

    std::string isa() const override { return "onednn"; }
    int threads() const override { return threads_; }
    bool memory_is_measurable() const override { return false; }
    bool is_peer() const override { return true; }

    // Runs once and returns the output as dense NCHW.
    virtual std::vector<float> output_nchw() = 0;

protected:
    void set_threads() const { omp_set_num_threads(threads_); }
    size_t blocked_bytes() const {
        return conv_.pd.src_desc().get_size() + conv_.pd.dst_desc().get_size();
    }

    Convolution conv_;
    int threads_;
    Buffers& io_;
    memory user_src_, user_dst_;
};

class OnednnBlocked : public OnednnContender {
public:
    OnednnBlocked(const Layer& layer, const std::vector<float>& weights, int threads, Buffers& io)
        : OnednnContender(layer, weights, threads, io),
          src_(conv_.pd.src_desc(), conv_.engine), dst_(conv_.pd.dst_desc(), conv_.engine) {
        conv_.reorder(user_src_, src_);  // once: the input lives in the blocked format
        conv_.stream.wait();
    }

    std::string kernel() const override { return "onednn_any"; }
    size_t workspace_bytes() const override { return conv_.pd.scratchpad_desc().get_size(); }

    void run() override {
        set_threads();
        conv_.execute(src_, dst_);
        conv_.stream.wait();
    }

    std::vector<float> output_nchw() override {
        run();
        conv_.reorder(dst_, user_dst_);
        conv_.stream.wait();
        return io_.output;
    }

private:
    memory src_, dst_;
};

class OnednnNchw : public OnednnContender {
public:
    OnednnNchw(const Layer& layer, const std::vector<float>& weights, int threads, Buffers& io)
        : OnednnContender(layer, weights, threads, io),
          src_(conv_.pd.src_desc(), conv_.engine), dst_(conv_.pd.dst_desc(), conv_.engine) {}

    std::string kernel() const override { return "onednn_nchw"; }
    size_t workspace_bytes() const override {
        return conv_.pd.scratchpad_desc().get_size() + blocked_bytes();
    }

    void run() override {
        set_threads();
        conv_.reorder(user_src_, src_);
        conv_.execute(src_, dst_);
        conv_.reorder(dst_, user_dst_);
        conv_.stream.wait();
    }

    std::vector<float> output_nchw() override {
        run();
        return io_.output;
    }

private:
    memory src_, dst_;
};

std::unique_ptr<OnednnContender> make_variant(const Layer& layer, const std::string& variant,
                                              const std::vector<float>& weights, int threads,
                                              Buffers& io) {
    omp_set_num_threads(threads);  // primitive creation already sizes work by threads
    if (variant == "onednn_any") return std::make_unique<OnednnBlocked>(layer, weights, threads, io);
    if (variant == "onednn_nchw") return std::make_unique<OnednnNchw>(layer, weights, threads, io);
    throw std::invalid_argument("unknown oneDNN variant '" + variant + "'");
}

}  // namespace

bool onednn_available() { return true; }

std::string onednn_description() {
    const dnnl_version_t* v = dnnl_version();
    return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
           std::to_string(v->patch) + " (CPU runtime: OpenMP, threads via omp_set_num_threads)";
}

std::unique_ptr<Contender> make_onednn_contender(const Layer& layer, const std::string& variant,
                                                 const std::vector<float>& weights, int threads,
                                                 Buffers& io) {
    std::unique_ptr<OnednnContender> c = make_variant(layer, variant, weights, threads, io);
    try {
        check_against_direct(layer, weights, io.input, c->output_nchw(), variant);
    } catch (const std::runtime_error& e) {
        throw OutputMismatch(e.what());
    }
    return c;
}

}  // namespace convkit_bench
