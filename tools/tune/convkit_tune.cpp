// convkit_tune: measures every kernel on a shape sweep and writes the timing
// table kernel = "auto" predicts from (runtime/data/timings.csv is one).
//
//   convkit_tune [--suite FILE] [--no-sweep] [--isa auto|all|a,b] [--threads 1,2]
//                [--samples 3] [--out FILE]
//
// Shapes: the suite's layers plus a built-in sweep (dense 1x1/3x3 over
// channels, map sizes and strides; depthwise; large first-layer kernels).
// A run is timed `samples` times after a warm-up (median); kernels slower
// than kSlowMs per run keep their first sample, so the sweep stays minutes long.
#include "bench_args.h"
#include "layer_suite.h"

#include <convkit/convkit.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "timings.h"

namespace {

using convkit::ConvShape;
using convkit::detail::Timing;

constexpr double kSlowMs = 20;

struct Args {
    std::string suite = convkit_bench::default_suite();
    bool sweep = true;
    std::string isas = "auto";
    std::vector<int> threads = {1};
    int samples = 3;
    std::string out = "timings.csv";
    std::vector<std::string> kernels;  // empty: every kernel
};

[[noreturn]] void usage(const char* problem) {
    std::fprintf(stderr,
                 "convkit_tune: %s\nusage: convkit_tune [--suite FILE] [--no-sweep] [--isa auto|all|a,b]\n"
                 "                    [--threads 1,2] [--samples N] [--kernels a,b] [--out FILE]\n",
                 problem);
    std::exit(2);
}

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value after " + flag).c_str());
            return argv[++i];
        };
        if (flag == "--suite") a.suite = value();
        else if (flag == "--no-sweep") a.sweep = false;
        else if (flag == "--isa") a.isas = value();
        else if (flag == "--samples") a.samples = convkit_bench::parse_int(flag, value(), 1);
        else if (flag == "--out") a.out = value();
        else if (flag == "--kernels") a.kernels = convkit_bench::split_list(value());
        else if (flag == "--threads") {
            a.threads.clear();
            for (const std::string& t : convkit_bench::split_list(value())) {
                a.threads.push_back(convkit_bench::parse_int(flag, t, 1));
            }
        } else usage(("unknown argument " + flag).c_str());
    }
    return a;
}

// Shapes between the suite's layers, so the model has neighbours everywhere.
std::vector<ConvShape> sweep_shapes() {
    std::vector<ConvShape> shapes;
    for (int64_t channels : {16, 64, 256})
        for (int64_t size : {7, 14, 28, 56})
            for (int64_t k : {1, 3})
                for (int64_t stride : {1, 2}) {
                    shapes.push_back(convkit::make_shape(1, channels, size, size, channels, k, stride, k / 2));
                }
    for (int64_t channels : {32, 144, 512})
        for (int64_t size : {7, 14, 28, 56})
            for (int64_t stride : {1, 2}) {
                shapes.push_back(convkit::make_shape(1, channels, size, size, channels, 3, stride, 1, 1, channels));
            }
    shapes.push_back(convkit::make_shape(1, 3, 112, 112, 32, 7, 2, 3));
    shapes.push_back(convkit::make_shape(1, 3, 224, 224, 32, 3, 2, 1));
    shapes.push_back(convkit::make_shape(1, 32, 28, 28, 32, 5, 1, 2));
    return shapes;
}

std::vector<std::string> chosen_isas(const std::string& spec) {
    const std::vector<std::string> runnable = convkit::supported_isas();
    if (spec == "auto") return {runnable.front()};
    if (spec == "all") return runnable;
    return convkit_bench::split_list(spec);
}

// The kernels compiled for `isa`, those of `only` alone when it names any
// (to re-time changed kernels and merge their rows into a table).
std::vector<std::string> kernel_names(const std::string& isa, const std::vector<std::string>& only) {
    std::vector<std::string> names;
    for (const convkit::KernelInfo& k : convkit::kernels()) {
        const bool wanted = only.empty() || std::find(only.begin(), only.end(), k.name) != only.end();
        if (k.isa == isa && wanted) names.push_back(k.name);
    }
    return names;
}

double time_kernel(const ConvShape& s, const std::string& kernel, const std::string& isa, int threads,
                   int samples) {
    convkit::Options o;
    o.kernel = kernel;
    o.isa = isa;
    o.threads = threads;
    const std::vector<float> weights(size_t(s.weight_elements()), 0.01f);
    const convkit::Plan plan(s, weights.data(), nullptr, o);
    const double first = convkit::measure_run_ms(plan, 1);  // warm-up + one run
    return first > kSlowMs ? first : convkit::measure_run_ms(plan, samples);
}

std::string header_comment() {
    const std::time_t now = std::time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
    return std::string("# convkit timing table, written by convkit_tune on ") + date +
           " (median ms per run; regenerate: tools/tune.sh)";
}

}  // namespace

int main(int argc, char** argv) try {
    const Args args = parse_args(argc, argv);
    std::vector<ConvShape> shapes;
    for (const convkit_bench::Layer& layer : convkit_bench::load_suite(args.suite)) shapes.push_back(layer.shape);
    if (args.sweep) {
        for (const ConvShape& s : sweep_shapes()) shapes.push_back(s);
    }
    std::ofstream out(args.out);
    if (!out) usage(("cannot write " + args.out).c_str());
    out << header_comment() << "\n" << convkit::detail::TimingTable::csv_header() << "\n";
    for (const std::string& isa : chosen_isas(args.isas)) {
        for (int threads : args.threads) {
            for (size_t i = 0; i < shapes.size(); ++i) {
                std::fprintf(stderr, "\r%s, %d thread(s): shape %zu/%zu   ", isa.c_str(), threads, i + 1,
                             shapes.size());
                for (const std::string& kernel : kernel_names(isa, args.kernels)) {
                    try {
                        const double ms = time_kernel(shapes[i], kernel, isa, threads, args.samples);
                        out << convkit::detail::TimingTable::csv_row({isa, kernel, threads, shapes[i], ms})
                            << "\n";
                    } catch (const convkit::Error&) {
                        // The kernel cannot run this shape (e.g. scratch over Halide's 2^31
                        // bytes): "auto" never considers it there, so it needs no time.
                    }
                }
                out.flush();
            }
        }
    }
    std::fprintf(stderr, "\nwrote %s\n", args.out.c_str());
    return 0;
} catch (const convkit_bench::UsageError& e) {
    usage(e.what());
}
