#include "selection.h"

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>

#include "cpu.h"
#include "timings.h"
#include "workspace.h"

namespace convkit {
namespace detail {
namespace {

[[noreturn]] void fail(const std::string& message) { throw Error(message); }

std::string bytes_text(size_t bytes) {
    return bytes == kUnlimited ? std::string("unlimited") : std::to_string(bytes);
}

// Why kernel `k` cannot run `s` under `o` with this workspace; "" if it can.
std::string rejection(const KernelEntry& k, const ConvShape& s, const Options& o,
                      const WorkspaceNeed& need, size_t workspace) {
    if (need.bytes > size_t(std::numeric_limits<int32_t>::max())) {
        return "scratch of " + std::to_string(need.bytes) +
               " bytes exceeds Halide's 2^31-1 byte buffer limit";
    }
    if (workspace > o.workspace_limit) {
        return "needs " + std::to_string(workspace) + " bytes, over workspace_limit=" +
               bytes_text(o.workspace_limit);
    }
    // Every kernel keeps each output's reduction inside one thread, so its
    // results do not depend on the thread count; but a kernel whose workspace
    // grows with threads could fit the budget at one thread count and not at
    // another, and a different kernel sums in a different order.
    if (o.deterministic && workspace_need(k, s, 1).bytes != workspace_need(k, s, 1024).bytes) {
        return "deterministic: its workspace grows with threads, so the choice could too";
    }
    return "";
}

// Times a candidate now on zero data (Selection::Measure).
double measure(const Candidate& c, const ConvShape& s, const Options& o) {
    Options fixed = o;
    fixed.kernel = c.kernel.name;
    fixed.isa = c.kernel.isa;
    fixed.selection = Selection::Table;
    const std::vector<float> weights(size_t(s.weight_elements()), 0.0f), bias(size_t(s.M), 0.0f);
    const Plan plan(s, weights.data(), bias.data(), fixed);
    return measure_run_ms(plan, 3);
}

void predict(Candidate& c, const ConvShape& s, const Options& o) {
    if (o.selection == Selection::Measure) {
        c.predicted_ms = measure(c, s, o);
        c.basis = "measured now";
        return;
    }
    // Deterministic choices may not depend on the thread count: rank by the
    // one-thread times.
    const int threads = o.deterministic ? 1 : o.threads;
    const Prediction p = TimingTable::for_options(o).predict(c.kernel.name, c.kernel.isa, threads, s);
    c.predicted_ms = p.ms;
    c.basis = p.basis + (o.deterministic && o.threads != 1 ? " (1-thread ranking)" : "");
}

// Eligible before rejected; known times fastest first, unknown after them
// (smaller workspace first, then name), so the order is total and stable.
bool ranks_before(const Candidate& a, const Candidate& b) {
    if (a.rejected.empty() != b.rejected.empty()) return a.rejected.empty();
    const bool a_known = a.predicted_ms >= 0, b_known = b.predicted_ms >= 0;
    if (a_known != b_known) return a_known;
    if (a_known && a.predicted_ms != b.predicted_ms) return a.predicted_ms < b.predicted_ms;
    if (a.workspace_bytes != b.workspace_bytes) return a.workspace_bytes < b.workspace_bytes;
    return a.kernel.name < b.kernel.name;
}

void choose(Explanation& e) {
    const Options& o = e.options;
    std::stable_sort(e.candidates.begin(), e.candidates.end(), ranks_before);
    for (Candidate& c : e.candidates) {
        if (o.kernel == "auto" ? c.rejected.empty() : c.kernel.name == o.kernel) {
            if (!c.rejected.empty()) fail("kernel='" + o.kernel + "' cannot run this plan: " + c.rejected);
            c.chosen = true;
            return;
        }
    }
    if (o.kernel != "auto") fail("kernel='" + o.kernel + "' is not compiled in for isa '" + e.isa + "'");
    fail("no kernel fits workspace_limit=" + bytes_text(o.workspace_limit) + " for " +
         e.shape.to_string() + " (direct kernels not compiled in?)");
}

}  // namespace

void validate_options(const Options& o) {
    if (o.threads < 1 || o.threads > 1024) {
        fail("threads=" + std::to_string(o.threads) + " must be in [1, 1024]");
    }
}

std::string resolve_isa(const std::string& isa) {
    const std::vector<std::string> runnable = supported_isas();
    if (isa == "auto") {
        if (runnable.empty()) fail("no compiled ISA runs on this CPU");
        return runnable.front();
    }
    std::vector<std::string> compiled;
    for (const KernelEntry& e : registry()) {
        if (std::find(compiled.begin(), compiled.end(), e.info.isa) == compiled.end()) compiled.push_back(e.info.isa);
    }
    if (std::find(compiled.begin(), compiled.end(), isa) == compiled.end()) {
        fail("isa='" + isa + "' is not compiled in (available: auto, " + join_names(compiled) + ")");
    }
    if (!cpu_supports(isa)) fail("isa='" + isa + "' is not supported by this CPU");
    return isa;
}

}  // namespace detail

const Candidate& Explanation::choice() const {
    for (const Candidate& c : candidates) {
        if (c.chosen) return c;
    }
    throw Error("explanation without a choice");
}

std::string Explanation::to_string() const {
    std::ostringstream os;
    os << "shape " << shape.to_string() << ", " << shape.flops() / 1e6 << " MFLOP, isa " << isa
       << ", threads " << options.threads << ", workspace_limit "
       << detail::bytes_text(options.workspace_limit) << (options.deterministic ? ", deterministic" : "")
       << "\n";
    os << std::left << std::setw(14) << "kernel" << std::right << std::setw(14) << "extra_bytes"
       << std::setw(12) << "pred_ms" << "  verdict\n";
    for (const Candidate& c : candidates) {
        std::ostringstream ms;
        if (c.predicted_ms >= 0) ms << std::fixed << std::setprecision(3) << c.predicted_ms;
        else ms << "-";
        os << std::left << std::setw(14) << c.kernel.name << std::right << std::setw(14)
           << c.workspace_bytes << std::setw(12) << ms.str() << "  "
           << (c.chosen ? "CHOSEN" : c.rejected.empty() ? "eligible" : "rejected: " + c.rejected);
        if (!c.basis.empty()) os << " [" << c.basis << "]";
        os << "\n";
    }
    return os.str();
}

Explanation explain(const ConvShape& shape, const Options& options) {
    shape.validate();
    detail::validate_options(options);
    Explanation e;
    e.shape = shape;
    e.options = options;
    e.isa = detail::resolve_isa(options.isa);
    for (const detail::KernelEntry& k : detail::registry()) {
        if (k.info.isa != e.isa) continue;
        Candidate c;
        c.kernel = k.info;
        const detail::WorkspaceNeed need = detail::workspace_need(k, shape, options.threads);
        c.workspace_bytes = detail::workspace_block_bytes(need);
        c.rejected = detail::rejection(k, shape, options, need, c.workspace_bytes);
        // Over-budget kernels get a table prediction too: what more memory would buy.
        const bool runnable = need.bytes <= size_t(std::numeric_limits<int32_t>::max());
        const bool cheap = options.selection == Selection::Table;
        if (options.kernel == "auto" && (c.rejected.empty() || (cheap && runnable))) {
            detail::predict(c, shape, options);
        }
        e.candidates.push_back(c);
    }
    detail::choose(e);
    return e;
}

}  // namespace convkit
