#include "contender.h"

namespace convkit_bench {
namespace {

class ConvkitContender : public Contender {
public:
    ConvkitContender(const std::string& asked, convkit::Plan plan, Buffers& io)
        : asked_(asked), plan_(std::move(plan)), io_(io) {}

    void run() override { plan_.run(io_.input.data(), io_.output.data()); }
    std::string kernel() const override {
        return asked_ == "auto" ? "auto:" + plan_.kernel().name : asked_;
    }
    std::string isa() const override { return plan_.isa(); }
    int threads() const override { return plan_.threads(); }
    size_t workspace_bytes() const override { return plan_.workspace_bytes(); }
    bool memory_is_measurable() const override { return true; }

private:
    std::string asked_;
    convkit::Plan plan_;
    Buffers& io_;
};

}  // namespace

std::unique_ptr<Contender> make_convkit_contender(const Layer& layer, const std::string& kernel,
                                                  const std::string& isa,
                                                  const std::vector<float>& weights, int threads,
                                                  Buffers& io) {
    convkit::Options opt;
    opt.kernel = kernel;
    opt.isa = isa;
    opt.threads = threads;
    opt.epilogue = convkit::Epilogue::None;
    convkit::Plan plan(layer.shape, weights.data(), nullptr, opt);
    return std::make_unique<ConvkitContender>(kernel, std::move(plan), io);
}

}  // namespace convkit_bench
