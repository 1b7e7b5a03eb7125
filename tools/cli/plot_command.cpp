// convkit plot: PNG charts of a bench CSV, drawn by tools/plot_bench.py with
// Debian's matplotlib (python3-matplotlib).
#include "cli_options.h"
#include "commands.h"
#include "subprocess.h"

#include <cstdlib>
#include <filesystem>

#ifndef CONVKIT_PYTHON3
#define CONVKIT_PYTHON3 "python3"
#endif
#ifndef CONVKIT_PLOT_SCRIPT
#define CONVKIT_PLOT_SCRIPT "tools/plot_bench.py"
#endif

namespace convkit_cli {
namespace {

const CommandSpec kSpec{
    "plot", "CSV",
    "Draws PNG charts from a bench CSV (`convkit bench --csv FILE`):\n"
    "  gflops.png          GFLOP/s per layer and kernel, grouped bars (peers such as oneDNN included)\n"
    "  time_vs_memory.png  time vs extra memory per layer, the Pareto front highlighted\n"
    "Needs matplotlib (Debian: python3-matplotlib; tools/bootstrap.sh installs it).",
    {{"--out-dir", "DIR", "where the PNGs go, created if missing (default convkit_plots)"},
     {"--python", "PATH", "the Python 3 with matplotlib (default $CONVKIT_PYTHON, else " CONVKIT_PYTHON3 ")"}},
    1};

std::string python_interpreter(const ParsedOptions& opts) {
    if (opts.has("--python")) return opts.text("--python");
    const char* env = std::getenv("CONVKIT_PYTHON");
    return env && *env ? env : CONVKIT_PYTHON3;
}

}  // namespace

int plot_command(int argc, char** argv) {
    const ParsedOptions opts = parse_options(kSpec, argc, argv);
    if (opts.help) {
        print_help(kSpec, stdout);
        return 0;
    }
    if (opts.positional.empty()) throw UsageError("no bench CSV given");
    const std::string csv = opts.positional[0];
    if (!std::filesystem::is_regular_file(csv)) throw UsageError("'" + csv + "' is not a file");
    const std::string out_dir = opts.text("--out-dir", "convkit_plots");
    const int status = run_program({python_interpreter(opts), CONVKIT_PLOT_SCRIPT, csv, out_dir}, "plot");
    if (status != 0) std::fprintf(stderr, "convkit plot: the plot script failed (exit %d)\n", status);
    return status == 0 ? 0 : 1;
}

}  // namespace convkit_cli
