// convkit: the command-line tool. `convkit --help` lists the subcommands;
// `convkit SUBCOMMAND --help` explains one. Exit codes: 0 ok, 1 error, 2 bad usage.
#include "cli_options.h"
#include "commands.h"

#include <bench_run.h>
#include <convkit/convkit.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace convkit_cli {

int bench_command(int argc, char** argv) {
    return convkit_bench::bench_main(argc, argv, 1, "convkit bench");
}

namespace {

struct Subcommand {
    const char* name;
    const char* summary;
    int (*run)(int, char**);
};

const Subcommand kSubcommands[] = {
    {"list", "the compiled kernels, their ISAs and extra-memory formulas", list_command},
    {"bench", "benchmark kernels (and oneDNN) on a layer suite; table, CSV, JSON", bench_command},
    {"run", "convolve a PNG image with a filter bank; write the feature maps as PNG", run_command},
    {"plot", "PNG charts from a bench CSV (needs python3-matplotlib)", plot_command},
    {"explain", "the runtime's kernel choice for a shape and memory budget (not yet available)",
     explain_command},
};

void print_usage(std::FILE* out) {
    std::fprintf(out, "usage: convkit SUBCOMMAND [options]   (convkit SUBCOMMAND --help for its options)\n"
                      "subcommands:\n");
    for (const Subcommand& s : kSubcommands) std::fprintf(out, "  %-8s %s\n", s.name, s.summary);
}

const Subcommand* find_subcommand(const std::string& name) {
    for (const Subcommand& s : kSubcommands)
        if (name == s.name) return &s;
    return nullptr;
}

// Runs a subcommand, mapping exceptions to messages and exit codes.
int run_subcommand(const Subcommand& sub, int argc, char** argv) {
    const std::string who = std::string("convkit ") + sub.name;
    try {
        return sub.run(argc, argv);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "%s: %s (see %s --help)\n", who.c_str(), e.what(), who.c_str());
        return 2;
    } catch (const convkit::Error& e) {  // the library rejected an argument
        std::fprintf(stderr, "%s: %s\n", who.c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: error: %s\n", who.c_str(), e.what());
        return 1;
    }
}

}  // namespace
}  // namespace convkit_cli

int main(int argc, char** argv) {
    using namespace convkit_cli;
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    const std::string first = argv[1];
    if (first == "-h" || first == "--help" || first == "help") {
        print_usage(stdout);
        return 0;
    }
    const Subcommand* sub = find_subcommand(first);
    if (!sub) {
        std::fprintf(stderr, "convkit: unknown subcommand '%s'\n", first.c_str());
        print_usage(stderr);
        return 2;
    }
    return run_subcommand(*sub, argc - 1, argv + 1);
}
