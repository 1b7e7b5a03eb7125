#include "bench_args.h"

#include <cmath>
#include <sstream>

#ifndef CONVKIT_DEFAULT_SUITE
#define CONVKIT_DEFAULT_SUITE "layers/public.csv"
#endif

namespace convkit_bench {

const char* default_suite() { return CONVKIT_DEFAULT_SUITE; }

void print_usage(std::FILE* out, const std::string& program) {
    std::string pad(program.size(), ' ');
    std::fprintf(out,
        "usage: %s [--suite FILE] [--kernels a,b|all] [--isa a,b|auto|all] [--threads N]\n"
        "       %s [--reps N] [--min-time-ms MS] [--csv FILE] [--json FILE] [--layers SUBSTR]\n"
        "       %s [--peers a,b|all|none] [--memory-only]\n"
        "  --suite FILE      layer suite: .csv or benchdnn descriptors (default %s)\n"
        "  --kernels LIST    comma-separated kernel names, 'auto', 'all' (default all); 'auto@B'\n"
        "                    chooses under a workspace limit B (see --budgets), 'auto+det' in\n"
        "                    deterministic mode (same bits for any thread count)\n"
        "  --budgets LIST    adds 'auto@B' for each B: the runtime's choice under a workspace\n"
        "                    limit B = bytes, 'unlimited', or a kernel's need on the layer ('mec'\n"
        "                    = mec_b's, 'im2col'), e.g. --budgets 0,mec,unlimited\n"
        "  --isa LIST        ISAs to run each kernel on: names, 'auto' (the best this CPU runs)\n"
        "                    or 'all' (every one it runs) (default auto)\n"
        "  --peers LIST      other libraries timed beside the kernels: onednn_any, onednn_nchw,\n"
        "                    'all' (those built in) or 'none' (default all)\n"
        "  --threads N       worker threads per run, for convkit and the peers (default 1)\n"
        "  --reps N          timed samples per kernel and layer (default 15)\n"
        "  --min-time-ms MS  timed time per kernel and layer; warm-up is MS/5 (default 50)\n"
        "  --max-time-ms MS  a kernel stops sampling once it has run this long (default 1000)\n"
        "  --memory-only     no timing: extra memory (formula and measured) and its ratio to im2col\n"
        "  --csv FILE        also write the rows to FILE as CSV\n"
        "  --json FILE       also write the machine, the FMA peaks and the rows to FILE as JSON\n"
        "  --layers SUBSTR   only layers whose name contains SUBSTR\n",
        program.c_str(), pad.c_str(), pad.c_str(), default_suite());
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

double parse_nonnegative(const std::string& opt, const std::string& text) {
    try {
        size_t used = 0;
        double v = std::stod(text, &used);
        if (used == text.size() && v >= 0 && std::isfinite(v)) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(opt + "='" + text + "' must be a number >= 0");
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

namespace {

void apply_option(Args& a, const std::string& opt, const std::string& value) {
    if (opt == "--suite") a.suite = value;
    else if (opt == "--kernels") a.kernels = value;
    else if (opt == "--budgets") a.budgets = split_list(value);
    else if (opt == "--isa") a.isas = value;
    else if (opt == "--peers") a.peers = value;
    else if (opt == "--threads") a.threads = parse_int(opt, value, 1);
    else if (opt == "--reps") a.reps = parse_int(opt, value, 1);
    else if (opt == "--min-time-ms") a.min_time_ms = parse_nonnegative(opt, value);
    else if (opt == "--max-time-ms") a.max_time_ms = parse_nonnegative(opt, value);
    else if (opt == "--csv") a.csv = value;
    else if (opt == "--json") a.json = value;
    else if (opt == "--layers") a.layer_filter = value;
    else throw UsageError("unknown option '" + opt + "'");
}

}  // namespace

// Accepts "--opt value" and "--opt=value".
Args parse_args(int argc, char** argv, int first) {
    Args a;
    a.suite = default_suite();
    for (int i = first; i < argc; ++i) {
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

}  // namespace convkit_bench
