#include "bench_run.h"

#include "fma_peak.h"
#include "measure.h"
#include "onednn_peer.h"
#include "progress.h"
#include "report.h"
#include "report_files.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <thread>

namespace convkit_bench {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::vector<std::string> select_kernels(const std::string& spec, const std::vector<std::string>& budgets) {
    std::vector<std::string> known;
    for (const auto& k : convkit::kernels())
        if (!contains(known, k.name)) known.push_back(k.name);
    if (known.empty()) throw std::runtime_error("the library reports no kernels");
    std::vector<std::string> names;
    for (const std::string& name : split_list(spec)) {  // "all" may stand among other names
        if (name == "all") names.insert(names.end(), known.begin(), known.end());
        else names.push_back(name);
    }
    for (const std::string& budget : budgets) names.push_back("auto@" + budget);
    for (const std::string& name : names)
        if (name.rfind("auto", 0) != 0 && !contains(known, name))
            throw UsageError("unknown kernel '" + name + "' (known: auto[@BUDGET][+det], " + join(known) + ")");
    if (names.empty()) throw UsageError("--kernels names no kernel");
    return names;
}

std::vector<std::string> select_isas(const std::string& spec) {
    if (spec == "all") return convkit::supported_isas();
    std::vector<std::string> isas = split_list(spec);
    if (isas.empty()) throw UsageError("--isa names no ISA");
    return isas;
}

// Peers run only when timing (--memory-only has no use for them) and built in.
std::vector<std::string> select_peers(const std::string& spec, bool memory_only) {
    if (spec == "none" || memory_only) return {};
    if (spec == "all") return onednn_available() ? onednn_variants() : std::vector<std::string>{};
    std::vector<std::string> peers = split_list(spec);
    for (const std::string& p : peers)
        if (!contains(onednn_variants(), p))
            throw UsageError("unknown peer '" + p + "' (known: onednn_any, onednn_nchw, all, none)");
    if (!onednn_available()) throw UsageError("--peers " + spec + ": " + onednn_description());
    return peers;
}

std::vector<Layer> select_layers(std::vector<Layer> layers, const std::string& filter) {
    auto miss = [&](const Layer& l) { return l.name.find(filter) == std::string::npos; };
    layers.erase(std::remove_if(layers.begin(), layers.end(), miss), layers.end());
    if (layers.empty()) throw UsageError("no layer name contains '" + filter + "'");
    return layers;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("model name", 0) != 0) continue;
        size_t colon = line.find(':');
        if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
    return "unknown CPU";
}

std::vector<FmaPeak> measure_peaks(const Args& args) {
    if (args.memory_only) return {};
    std::vector<FmaPeak> peaks = {measure_fma_peak(1)};
    if (args.threads > 1) peaks.push_back(measure_fma_peak(args.threads));
    return peaks;
}

void print_banner(const Args& args, const RunInfo& info, size_t n_layers,
                  const std::vector<std::string>& kernels) {
    const std::string list = join(kernels);
    std::printf("# %s on %s (%u logical CPUs): reps=%d threads=%d min-time=%gms\n",
                info.program.c_str(), info.cpu.c_str(), std::thread::hardware_concurrency(),
                args.reps, args.threads, args.min_time_ms);
    std::printf("# suite %s: %zu layers; kernels %s\n", args.suite.c_str(), n_layers,
                list.c_str());
    std::printf("# peer: %s%s\n", info.peer.c_str(),
                args.peers == "none" ? " (disabled by --peers none)" : "");
    for (const FmaPeak& p : info.peaks)
        std::printf("# measured FMA peak (%s, %d thread%s): %.1f GFLOP/s\n", p.isa.c_str(),
                    p.threads, p.threads > 1 ? "s" : "", p.gflops);
}

// One benchmark run: the selection, the outputs and the progress bar.
class BenchRun {
public:
    BenchRun(const Args& args, const std::string& program)
        : args_(args),
          sel_{select_kernels(args.kernels, args.budgets), select_isas(args.isas),
               select_peers(args.peers, args.memory_only)},
          layers_(select_layers(load_suite(args.suite), args.layer_filter)),
          csv_(args.csv), json_(args.json), table_(layers_, sel_.kernels), progress_("bench") {
        info_ = RunInfo{program, cpu_model(), args.suite, onednn_description(), args.threads,
                        measure_peaks(args)};
    }

    void run() {
        print_banner(args_, info_, layers_.size(), sel_.kernels);
        table_.print_header();
        for (size_t i = 0; i < layers_.size(); ++i) bench_layer(i);
        json_.finish(info_);
    }

private:
    Reference reference(const Layer& layer) const {
        return {im2col_bytes(layer, args_.threads), info_.peaks.empty() ? 0 : info_.peaks.back().gflops};
    }

    // Measures one layer and prints/writes its rows.
    void bench_layer(size_t i) {
        const Layer& layer = layers_[i];
        const double done = double(i) / layers_.size(), share = 1.0 / layers_.size();
        Buffers io = make_buffers(layer);
        progress_.update(done, layer.name);
        std::vector<Candidate> cands = measure_layer(layer, sel_, args_, io, [&](double f) {
            progress_.update(done + f * share, layer.name);
        });
        progress_.clear();
        for (const Row& row : make_rows(layer, cands, args_.threads, args_.memory_only,
                                        reference(layer))) {
            table_.print(row);
            csv_.write(row);
            json_.add(row);
        }
    }

    const Args& args_;
    Selection sel_;
    std::vector<Layer> layers_;
    CsvWriter csv_;
    JsonWriter json_;
    Table table_;
    Progress progress_;
    RunInfo info_;
};

}  // namespace

int run_bench(const Args& args, const std::string& program) {
    BenchRun(args, program).run();
    return 0;
}

int bench_main(int argc, char** argv, int first, const std::string& program) {
    try {
        Args args = parse_args(argc, argv, first);
        if (args.help) {
            print_usage(stdout, program);
            return 0;
        }
        return run_bench(args, program);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "%s: %s (see --help)\n", program.c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: error: %s\n", program.c_str(), e.what());
        return 1;
    }
}

}  // namespace convkit_bench
