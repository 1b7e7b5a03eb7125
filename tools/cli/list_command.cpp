// convkit list: the compiled kernels, one line per kernel and ISA.
#include "cli_options.h"
#include "commands.h"

#include <convkit/convkit.h>

#include <algorithm>

namespace convkit_cli {
namespace {

const CommandSpec kSpec{
    "list", "", "Lists the compiled kernels: name, lowering, ISA, whether this CPU runs it,\n"
                "extra-memory formula and description.",
    {}, 0};

bool runs_here(const convkit::KernelInfo& k, const std::vector<std::string>& isas) {
    return std::find(isas.begin(), isas.end(), k.isa) != isas.end();
}

struct Widths {
    size_t name = 6, lowering = 8, isa = 3, formula = 12;
};

Widths column_widths(const std::vector<convkit::KernelInfo>& kernels) {
    Widths w;
    for (const auto& k : kernels) {
        w.name = std::max(w.name, k.name.size());
        w.lowering = std::max(w.lowering, k.lowering.size());
        w.isa = std::max(w.isa, k.isa.size());
        w.formula = std::max(w.formula, k.extra_memory.size());
    }
    return w;
}

void print_line(const Widths& w, const std::string& name, const std::string& lowering,
                const std::string& isa, const std::string& runs, const std::string& formula,
                const std::string& description) {
    std::printf("%-*s  %-*s  %-*s  %-4s  %-*s  %s\n", int(w.name), name.c_str(), int(w.lowering),
                lowering.c_str(), int(w.isa), isa.c_str(), runs.c_str(), int(w.formula),
                formula.c_str(), description.c_str());
}

}  // namespace

int list_command(int argc, char** argv) {
    ParsedOptions opts = parse_options(kSpec, argc, argv);
    if (opts.help) {
        print_help(kSpec, stdout);
        return 0;
    }
    const std::vector<convkit::KernelInfo> kernels = convkit::kernels();
    const std::vector<std::string> isas = convkit::supported_isas();
    const Widths w = column_widths(kernels);
    print_line(w, "kernel", "lowering", "isa", "runs", "extra memory", "description");
    for (const auto& k : kernels)
        print_line(w, k.name, k.lowering, k.isa, runs_here(k, isas) ? "yes" : "no",
                   k.extra_memory, k.description);
    std::printf("\n%zu kernels; this CPU runs ISAs: ", kernels.size());
    for (size_t i = 0; i < isas.size(); ++i) std::printf("%s%s", i ? ", " : "", isas[i].c_str());
    std::printf("\n%s", convkit::extra_memory_legend());
    return 0;
}

}  // namespace convkit_cli
