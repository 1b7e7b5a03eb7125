#include "contender.h"

#include "bench_args.h"

namespace convkit_bench {
namespace {

class ConvkitContender : public Contender {
public:
    ConvkitContender(const std::string& asked, convkit::Plan plan, Buffers& io)
        : asked_(asked), plan_(std::move(plan)), io_(io) {}

    void run() override { plan_.run(io_.input.data(), io_.output.data()); }
    std::string kernel() const override {
        return asked_.rfind("auto", 0) == 0 ? asked_ + ":" + plan_.kernel().name : asked_;
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

// The workspace limit of "auto@BUDGET": bytes, "unlimited", or the extra
// bytes a named kernel needs on this layer ("mec" is mec_b).
size_t budget_bytes(const std::string& budget, const Layer& layer, const convkit::Options& base) {
    if (budget == "unlimited") return convkit::kUnlimited;
    if (!budget.empty() && budget.find_first_not_of("0123456789") == std::string::npos) {
        return size_t(std::stoull(budget));
    }
    const std::string kernel = budget == "mec" ? "mec_b" : budget;
    for (const convkit::Candidate& c : convkit::explain(layer.shape, base).candidates) {
        if (c.kernel.name == kernel) return c.workspace_bytes;
    }
    throw UsageError("budget '" + budget + "' is neither bytes, 'unlimited' nor a kernel name");
}

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
    // "auto[@BUDGET][+det]": the runtime's choice under a workspace limit,
    // and/or in deterministic mode.
    std::string spec = kernel;
    const std::string det = "+det";
    if (spec.size() > det.size() && spec.compare(spec.size() - det.size(), det.size(), det) == 0) {
        spec.resize(spec.size() - det.size());
        opt.deterministic = true;
    }
    if (spec.rfind("auto", 0) == 0) opt.kernel = "auto";
    if (spec.rfind("auto@", 0) == 0) opt.workspace_limit = budget_bytes(spec.substr(5), layer, opt);
    convkit::Plan plan(layer.shape, weights.data(), nullptr, opt);
    return std::make_unique<ConvkitContender>(kernel, std::move(plan), io);
}

}  // namespace convkit_bench
