// convkit_bench: times every convkit kernel on every layer of a layer suite.
//
//   convkit_bench [--suite FILE] [--kernels a,b|all] [--threads 1] [--reps 15]
//                 [--min-time-ms 50] [--csv out.csv] [--layers substr]
//
// Per layer, each kernel gets a Plan (random weights, fixed seed, no epilogue),
// is warmed up (one run, then runs for ~min-time/5), and has its extra memory
// measured with MemoryProbe around one run. Then `reps` rounds are timed; in
// each round every kernel takes one sample, so drifting machine noise hits all
// kernels alike. A sample repeats run() enough times to last at least
// max(kMinSampleMs, min-time/reps) and records the time per run. The table
// reports the median and minimum of the samples.
#include "layer_suite.h"

#include <convkit/convkit.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#define CONVKIT_BENCH_HAVE_ISATTY 1
#endif

#ifndef CONVKIT_DEFAULT_SUITE
#define CONVKIT_DEFAULT_SUITE "layers/public.csv"
#endif

namespace {

using Clock = std::chrono::steady_clock;
using convkit_bench::Layer;

constexpr double kMinSampleMs = 5.0;  // a sample lasts at least this long
constexpr int kMinSamples = 1;       // samples taken even past the time budget
constexpr unsigned kWeightSeed = 42, kInputSeed = 7;

// ---------------------------------------------------------------- arguments

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Args {
    std::string suite = CONVKIT_DEFAULT_SUITE;
    std::string kernels = "all";
    std::string isas = "auto";
    int threads = 1;
    int reps = 15;
    double min_time_ms = 50;
    double max_time_ms = 1000;
    bool memory_only = false;
    std::string csv;
    std::string layer_filter;
    bool help = false;
};

void print_usage(std::FILE* out) {
    std::fprintf(out,
        "usage: convkit_bench [--suite FILE] [--kernels a,b|all] [--isa a,b|auto|all] [--threads N]\n"
        "                     [--reps N] [--min-time-ms MS] [--csv FILE] [--layers SUBSTR]\n"
        "  --suite FILE      layer suite: .csv or benchdnn descriptors (default %s)\n"
        "  --kernels LIST    comma-separated kernel names, 'auto', or 'all' (default all)\n"
        "  --isa LIST        ISAs to run each kernel on: names, 'auto' (the best this CPU runs)\n"
        "                    or 'all' (every one it runs) (default auto)\n"
        "  --threads N       worker threads per run (default 1)\n"
        "  --reps N          timed samples per kernel and layer (default 15)\n"
        "  --min-time-ms MS  timed time per kernel and layer; warm-up is MS/5 (default 50)\n"
        "  --max-time-ms MS  a kernel stops sampling once it has run this long (default 1000)\n"
        "  --memory-only     no timing: extra memory (formula and measured) and its ratio to im2col\n"
        "  --csv FILE        also write the rows to FILE\n"
        "  --layers SUBSTR   only layers whose name contains SUBSTR\n",
        CONVKIT_DEFAULT_SUITE);
}

int parse_int(const std::string& opt, const std::string& text, int min) {
    try {
        size_t used = 0;
        int v = std::stoi(text, &used);
        if (used == text.size() && v >= min) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(opt + "='" + text + "' must be an integer >= " + std::to_string(min));
}

double parse_ms(const std::string& opt, const std::string& text) {
    try {
        size_t used = 0;
        double v = std::stod(text, &used);
        if (used == text.size() && v >= 0 && std::isfinite(v)) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(opt + "='" + text + "' must be a number >= 0");
}

void apply_option(Args& a, const std::string& opt, const std::string& value) {
    if (opt == "--suite") a.suite = value;
    else if (opt == "--kernels") a.kernels = value;
    else if (opt == "--isa") a.isas = value;
    else if (opt == "--threads") a.threads = parse_int(opt, value, 1);
    else if (opt == "--reps") a.reps = parse_int(opt, value, 1);
    else if (opt == "--min-time-ms") a.min_time_ms = parse_ms(opt, value);
    else if (opt == "--max-time-ms") a.max_time_ms = parse_ms(opt, value);
    else if (opt == "--csv") a.csv = value;
    else if (opt == "--layers") a.layer_filter = value;
    else throw UsageError("unknown option '" + opt + "'");
}

// Accepts "--opt value" and "--opt=value".
Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            a.help = true;
            continue;
        }
        if (arg == "--memory-only") {  // a flag: no value
            a.memory_only = true;
            continue;
        }
        size_t eq = arg.find('=');
        if (eq != std::string::npos) {
            apply_option(a, arg.substr(0, eq), arg.substr(eq + 1));
        } else {
            if (i + 1 >= argc) throw UsageError("option '" + arg + "' needs a value");
            apply_option(a, arg, argv[++i]);
        }
    }
    return a;
}

// ---------------------------------------------------------------- setup

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

const convkit::KernelInfo* find_kernel(const std::vector<convkit::KernelInfo>& all,
                                       const std::string& name) {
    for (const auto& k : all)
        if (k.name == name) return &k;
    return nullptr;
}

std::vector<std::string> select_kernels(const std::string& spec) {
    std::vector<convkit::KernelInfo> all = convkit::kernels();
    std::vector<std::string> names;
    if (spec == "all") {
        for (const auto& k : all)
            if (std::find(names.begin(), names.end(), k.name) == names.end()) names.push_back(k.name);
        if (names.empty()) throw std::runtime_error("the library reports no kernels");
        return names;
    }
    std::string known = "auto";
    for (const auto& k : all) known += ", " + k.name;
    for (const std::string& name : split_list(spec)) {
        if (name != "auto" && !find_kernel(all, name))
            throw UsageError("unknown kernel '" + name + "' (known: " + known + ")");
        names.push_back(name);
    }
    if (names.empty()) throw UsageError("--kernels names no kernel");
    return names;
}

std::vector<std::string> select_isas(const std::string& spec) {
    if (spec == "all") return convkit::supported_isas();
    std::vector<std::string> isas = split_list(spec);
    if (isas.empty()) throw UsageError("--isa names no ISA");
    return isas;
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

std::vector<float> random_floats(int64_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = dist(gen);
    return v;
}

// ---------------------------------------------------------------- measuring

struct Buffers {
    std::vector<float> input, output;
};

struct Candidate {
    std::string kernel;  // name asked for ("auto" allowed)
    std::unique_ptr<convkit::Plan> plan;
    std::string error;   // set when there is no usable plan
    int iters = 1;       // runs per timed sample
    std::vector<double> samples_ms;  // time per run, one entry per sample
    size_t peak_bytes = 0, allocations = 0;

    bool ok() const { return plan && error.empty(); }
};

double elapsed_ms(Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// Total milliseconds for `iters` back-to-back runs.
double time_runs(const convkit::Plan& plan, Buffers& io, int iters) {
    auto start = Clock::now();
    for (int i = 0; i < iters; ++i) plan.run(io.input.data(), io.output.data());
    return elapsed_ms(start);
}

std::string describe_failure(const std::exception& e) {
    bool unsupported = dynamic_cast<const convkit::Error*>(&e) != nullptr;
    return std::string(unsupported ? "unsupported: " : "error: ") + e.what();
}

Candidate make_candidate(const Layer& layer, const std::string& kernel, const std::string& isa,
                         const std::vector<float>& weights, int threads) {
    Candidate c;
    c.kernel = kernel;
    convkit::Options opt;
    opt.kernel = kernel;
    opt.isa = isa;
    opt.threads = threads;
    opt.epilogue = convkit::Epilogue::None;
    try {
        c.plan = std::make_unique<convkit::Plan>(layer.shape, weights.data(), nullptr, opt);
    } catch (const std::exception& e) {
        c.error = describe_failure(e);
    }
    return c;
}

// One cold run, then runs for warmup_ms; sizes a sample to last sample_ms.
void warm_up(Candidate& c, Buffers& io, double warmup_ms, double sample_ms) {
    time_runs(*c.plan, io, 1);
    int runs = 0;
    auto start = Clock::now();
    do {
        time_runs(*c.plan, io, 1);
        ++runs;
    } while (elapsed_ms(start) < warmup_ms);
    double per_run = elapsed_ms(start) / runs;
    c.iters = static_cast<int>(std::max(1.0, std::ceil(sample_ms / std::max(per_run, 1e-6))));
}

void measure_memory(Candidate& c, Buffers& io) {
    convkit::MemoryProbe probe;
    c.plan->run(io.input.data(), io.output.data());
    c.peak_bytes = probe.peak_bytes();
    c.allocations = probe.allocations();
}

void take_sample(Candidate& c, Buffers& io) {
    c.samples_ms.push_back(time_runs(*c.plan, io, c.iters) / c.iters);
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

std::vector<Candidate> measure_layer(const Layer& layer, const std::vector<std::string>& kernels,
                                     const std::vector<std::string>& isas, const Args& args) {
    const convkit::ConvShape& s = layer.shape;
    std::vector<float> weights = random_floats(s.weight_elements(), kWeightSeed);
    Buffers io{random_floats(s.input_elements(), kInputSeed),
               std::vector<float>(static_cast<size_t>(s.output_elements()))};
    double sample_ms = std::max(kMinSampleMs, args.min_time_ms / args.reps);

    std::vector<Candidate> cands;
    for (const std::string& isa : isas)
        for (const std::string& k : kernels)
            cands.push_back(make_candidate(layer, k, isa, weights, args.threads));
    for (Candidate& c : cands) {
        if (!args.memory_only) {
            guarded(c, [&](Candidate& x) { warm_up(x, io, args.min_time_ms / 5, sample_ms); });
        }
        guarded(c, [&](Candidate& x) { measure_memory(x, io); });
    }
    if (args.memory_only) return cands;
    for (int r = 0; r < args.reps; ++r)
        for (Candidate& c : cands) {
            if (over_budget(c, args.max_time_ms)) continue;
            guarded(c, [&](Candidate& x) { take_sample(x, io); });
        }
    return cands;
}

// ---------------------------------------------------------------- reporting

struct Row {
    std::string layer, cls, shape, kernel, isa;
    int threads = 0;
    bool ok = false;
    std::string status;  // "ok" or the reason there is no measurement
    double median_ms = 0, min_ms = 0, gflops = 0;
    size_t workspace_bytes = 0, peak_bytes = 0, allocations = 0;
    double vs_im2col = 0;  // workspace_bytes / im2col's; 0 when im2col needs none
    int iters = 0;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Extra bytes of the im2col kernel on this layer, the reference of the
// memory ratios (0 when im2col is not compiled or needs no lowering here).
size_t im2col_bytes(const Layer& layer, int threads) {
    if (!find_kernel(convkit::kernels(), "im2col")) return 0;
    const std::vector<float> weights(size_t(layer.shape.weight_elements()), 0.0f);
    convkit::Options opt;
    opt.kernel = "im2col";
    opt.threads = threads;
    return convkit::Plan(layer.shape, weights.data(), nullptr, opt).workspace_bytes();
}

Row make_row(const Layer& layer, const Candidate& c, int threads, bool memory_only,
             size_t reference_bytes) {
    Row row;
    row.layer = layer.name, row.cls = layer.cls, row.shape = layer.shape.to_string();
    row.kernel = c.kernel, row.isa = "-", row.threads = threads;
    if (c.plan) {
        const convkit::KernelInfo& info = c.plan->kernel();
        if (c.kernel == "auto") row.kernel = "auto:" + info.name;
        row.isa = info.isa;
        row.threads = c.plan->threads();
        row.workspace_bytes = c.plan->workspace_bytes();
        if (reference_bytes > 0) row.vs_im2col = double(row.workspace_bytes) / double(reference_bytes);
    } else if (const auto* info = find_kernel(convkit::kernels(), c.kernel)) {
        row.isa = info->isa;
    }
    row.ok = c.ok() && (memory_only || !c.samples_ms.empty());
    row.status = row.ok ? "ok" : (c.error.empty() ? "no samples" : c.error);
    row.peak_bytes = c.peak_bytes;
    row.allocations = c.allocations;
    if (!row.ok || memory_only) return row;
    row.median_ms = median(c.samples_ms);
    row.min_ms = *std::min_element(c.samples_ms.begin(), c.samples_ms.end());
    row.gflops = layer.shape.flops() / (row.median_ms * 1e6);
    row.iters = c.iters;
    return row;
}

// Fixed-width text table; text column widths are fixed before the first row.
class Table {
public:
    Table(const std::vector<Layer>& layers, const std::vector<std::string>& kernels) {
        for (const Layer& l : layers) layer_w_ = std::max(layer_w_, l.name.size());
        for (const std::string& k : kernels) kernel_w_ = std::max(kernel_w_, k.size());
        for (const auto& k : convkit::kernels()) {
            isa_w_ = std::max(isa_w_, k.isa.size());
            if (std::find(kernels.begin(), kernels.end(), "auto") != kernels.end())
                kernel_w_ = std::max(kernel_w_, k.name.size() + 5);
        }
    }

    void print_header() const {
        std::printf("%-*s  %-*s  %-*s  %3s  %10s  %10s  %9s  %13s  %13s  %8s\n", w(layer_w_),
                    "layer", w(kernel_w_), "kernel", w(isa_w_), "isa", "thr", "median_ms",
                    "min_ms", "GFLOP/s", "workspace_B", "peak_B", "x_im2col");
    }

    void print(const Row& r) const {
        std::printf("%-*s  %-*s  %-*s  %3d  ", w(layer_w_), r.layer.c_str(), w(kernel_w_),
                    r.kernel.c_str(), w(isa_w_), r.isa.c_str(), r.threads);
        if (r.ok && r.median_ms > 0)
            std::printf("%10.4f  %10.4f  %9.2f  %13zu  %13zu  %8.3f\n", r.median_ms, r.min_ms,
                        r.gflops, r.workspace_bytes, r.peak_bytes, r.vs_im2col);
        else if (r.ok)  // --memory-only
            std::printf("%10s  %10s  %9s  %13zu  %13zu  %8.3f\n", "-", "-", "-", r.workspace_bytes,
                        r.peak_bytes, r.vs_im2col);
        else
            std::printf("%s\n", r.status.c_str());
        std::fflush(stdout);
    }

private:
    static int w(size_t width) { return static_cast<int>(width); }
    size_t layer_w_ = 5, kernel_w_ = 6, isa_w_ = 3;
};

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

class CsvWriter {
public:
    explicit CsvWriter(const std::string& path) {
        if (path.empty()) return;
        out_.open(path);
        if (!out_) throw std::runtime_error("cannot write CSV file '" + path + "'");
        out_ << "layer,class,shape,kernel,isa,threads,median_ms,min_ms,gflops,"
                "workspace_bytes,peak_bytes,workspace_vs_im2col,allocations,iters_per_sample,status\n";
    }

    void write(const Row& r) {
        if (!out_.is_open()) return;
        out_ << csv_field(r.layer) << ',' << csv_field(r.cls) << ',' << csv_field(r.shape) << ','
             << csv_field(r.kernel) << ',' << csv_field(r.isa) << ',' << r.threads << ',';
        if (r.ok)
            out_ << r.median_ms << ',' << r.min_ms << ',' << r.gflops << ',' << r.workspace_bytes
                 << ',' << r.peak_bytes << ',' << r.vs_im2col << ',' << r.allocations << ','
                 << r.iters;
        else
            out_ << ",,,,,,,";
        out_ << ',' << csv_field(r.status) << '\n';
        out_.flush();
    }

private:
    std::ofstream out_;
};

// ---------------------------------------------------------------- progress

bool stderr_is_tty() {
#ifdef CONVKIT_BENCH_HAVE_ISATTY
    return isatty(STDERR_FILENO) != 0;
#else
    return false;
#endif
}

void show_progress(size_t i, size_t n, const Layer& layer) {
    if (stderr_is_tty())
        std::fprintf(stderr, "\r[%zu/%zu] %s ...\033[K", i + 1, n, layer.name.c_str());
    else
        std::fprintf(stderr, "[%zu/%zu] %s\n", i + 1, n, layer.name.c_str());
    std::fflush(stderr);
}

void clear_progress() {
    if (!stderr_is_tty()) return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
}

// ---------------------------------------------------------------- main

void print_banner(const Args& args, size_t n_layers, const std::vector<std::string>& kernels) {
    std::string list;
    for (const std::string& k : kernels) list += (list.empty() ? "" : ",") + k;
    std::printf("# convkit_bench on %s (%u logical CPUs): reps=%d threads=%d min-time=%gms\n",
                cpu_model().c_str(), std::thread::hardware_concurrency(), args.reps,
                args.threads, args.min_time_ms);
    std::printf("# suite %s: %zu layers; kernels %s\n", args.suite.c_str(), n_layers,
                list.c_str());
}

int run_bench(const Args& args) {
    std::vector<std::string> kernels = select_kernels(args.kernels);
    std::vector<std::string> isas = select_isas(args.isas);
    std::vector<Layer> layers =
        select_layers(convkit_bench::load_suite(args.suite), args.layer_filter);
    CsvWriter csv(args.csv);
    Table table(layers, kernels);
    print_banner(args, layers.size(), kernels);
    table.print_header();
    for (size_t i = 0; i < layers.size(); ++i) {
        show_progress(i, layers.size(), layers[i]);
        std::vector<Candidate> cands = measure_layer(layers[i], kernels, isas, args);
        clear_progress();
        const size_t reference = im2col_bytes(layers[i], args.threads);
        for (const Candidate& c : cands) {
            Row row = make_row(layers[i], c, args.threads, args.memory_only, reference);
            table.print(row);
            csv.write(row);
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Args args = parse_args(argc, argv);
        if (args.help) {
            print_usage(stdout);
            return 0;
        }
        return run_bench(args);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "convkit_bench: %s (see --help)\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "convkit_bench: error: %s\n", e.what());
        return 1;
    }
}
