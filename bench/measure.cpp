#include "measure.h"

#include "onednn_peer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

namespace convkit_bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kMinSampleMs = 5.0;  // a sample lasts at least this long
constexpr int kMinSamples = 1;        // samples taken even past the time budget
// With several threads, each timed sample follows this long of untimed runs
// of the same candidate. The previous candidate's idle workers keep a core
// busy for a while after its last run: libgomp's (oneDNN's) spin for
// milliseconds before they sleep. Without the pause, direct_rows on
// r50_l1_1x1_64to256 ran at 1.0x its 1-thread speed beside oneDNN against
// 1.9x alone; 2 ms of runs left it at 1.0x, 10 ms at 1.8x (2026-12-07).
constexpr double kSettleMs = 10.0;
constexpr unsigned kWeightSeed = 42, kInputSeed = 7;

std::vector<float> random_floats(int64_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = dist(gen);
    return v;
}

double elapsed_ms(Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// Total milliseconds for `iters` back-to-back runs.
double time_runs(Contender& c, int iters) {
    auto start = Clock::now();
    for (int i = 0; i < iters; ++i) c.run();
    return elapsed_ms(start);
}

std::string describe_failure(const std::exception& e) {
    bool unsupported = dynamic_cast<const convkit::Error*>(&e) != nullptr;
    return std::string(unsupported ? "unsupported: " : "error: ") + e.what();
}

// Builds a candidate; a contender that cannot be built becomes a row with the
// reason. A peer whose output is wrong stops the benchmark (OutputMismatch).
template <typename Make>
Candidate build_candidate(const std::string& kernel, const std::string& isa, Make make) {
    Candidate c;
    c.kernel = kernel;
    c.isa = isa;
    try {
        c.impl = make();
    } catch (const OutputMismatch&) {
        throw;
    } catch (const std::exception& e) {
        c.error = describe_failure(e);
    }
    return c;
}

std::vector<Candidate> make_candidates(const Layer& layer, const Selection& sel, int threads,
                                       Buffers& io) {
    const std::vector<float> weights = make_weights(layer);
    std::vector<Candidate> cands;
    for (const std::string& isa : sel.isas)
        for (const std::string& k : sel.kernels)
            cands.push_back(build_candidate(k, isa, [&] {
                return make_convkit_contender(layer, k, isa, weights, threads, io);
            }));
    for (const std::string& peer : sel.peers)
        cands.push_back(build_candidate(peer, "onednn", [&] {
            return make_onednn_contender(layer, peer, weights, threads, io);
        }));
    return cands;
}

// One cold run, then runs for warmup_ms; sizes a sample to last sample_ms.
void warm_up(Candidate& c, double warmup_ms, double sample_ms) {
    time_runs(*c.impl, 1);
    int runs = 0;
    auto start = Clock::now();
    do {
        time_runs(*c.impl, 1);
        ++runs;
    } while (elapsed_ms(start) < warmup_ms);
    double per_run = elapsed_ms(start) / runs;
    c.iters = static_cast<int>(std::max(1.0, std::ceil(sample_ms / std::max(per_run, 1e-6))));
}

void measure_memory(Candidate& c) {
    if (!c.impl->memory_is_measurable()) return;
    convkit::MemoryProbe probe;
    c.impl->run();
    c.peak_bytes = probe.peak_bytes();
    c.allocations = probe.allocations();
}

void take_sample(Candidate& c, int threads) {
    if (threads > 1) {
        auto start = Clock::now();
        do time_runs(*c.impl, 1);
        while (elapsed_ms(start) < kSettleMs);
    }
    c.samples_ms.push_back(time_runs(*c.impl, c.iters) / c.iters);
}

// A slow kernel (say a schedule far from its intended shapes) stops after
// kMinSamples samples once it has used its time budget, so one bad pairing
// cannot dominate a suite run; its median is then over fewer samples.
bool over_budget(const Candidate& c, double max_time_ms) {
    double spent = 0;
    for (double ms : c.samples_ms) spent += ms * c.iters;
    return int(c.samples_ms.size()) >= kMinSamples && spent > max_time_ms;
}

// Runs `step` on c, turning an exception into c.error.
template <typename Step>
void guarded(Candidate& c, Step step) {
    if (!c.ok()) return;
    try {
        step(c);
    } catch (const std::exception& e) {
        c.error = describe_failure(e);
    }
}

void prepare(std::vector<Candidate>& cands, const Args& args) {
    const double sample_ms = std::max(kMinSampleMs, args.min_time_ms / args.reps);
    for (Candidate& c : cands) {
        if (!args.memory_only)
            guarded(c, [&](Candidate& x) { warm_up(x, args.min_time_ms / 5, sample_ms); });
        guarded(c, measure_memory);
    }
}

void time_interleaved(std::vector<Candidate>& cands, const Args& args,
                      const ProgressFn& progress) {
    for (int r = 0; r < args.reps; ++r) {
        for (Candidate& c : cands) {
            if (over_budget(c, args.max_time_ms)) continue;
            guarded(c, [&](Candidate& x) { take_sample(x, args.threads); });
        }
        if (progress) progress(double(r + 1) / args.reps);
    }
}

}  // namespace

Buffers make_buffers(const Layer& layer) {
    const convkit::ConvShape& s = layer.shape;
    return Buffers{random_floats(s.input_elements(), kInputSeed),
                   std::vector<float>(static_cast<size_t>(s.output_elements()))};
}

std::vector<float> make_weights(const Layer& layer) {
    return random_floats(layer.shape.weight_elements(), kWeightSeed);
}

std::vector<Candidate> measure_layer(const Layer& layer, const Selection& selection,
                                     const Args& args, Buffers& io, const ProgressFn& progress) {
    std::vector<Candidate> cands = make_candidates(layer, selection, args.threads, io);
    prepare(cands, args);
    if (!args.memory_only) time_interleaved(cands, args, progress);
    return cands;
}

}  // namespace convkit_bench
