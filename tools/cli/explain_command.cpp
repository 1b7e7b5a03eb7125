// convkit explain: the runtime's kernel choice for a shape and a memory budget,
// with every candidate. NOT YET WIRED: the runtime API
// (convkit::explain(const ConvShape&, const Options&) -> Explanation, with
// Options::workspace_limit) is being written; until it lands this command
// parses and checks its arguments, then says it is not available (exit 2).
#include "cli_options.h"
#include "commands.h"
#include "shape_arg.h"

namespace convkit_cli {
namespace {

const CommandSpec kSpec{
    "explain",
    "[SHAPE]",
    "Shows which kernel the runtime picks for a shape under a memory budget, with every\n"
    "candidate (NOT YET AVAILABLE: waits for the runtime's convkit::explain()).\n"
    "SHAPE: a benchdnn descriptor (mb1ic64ih56oc64oh56kh3ph1) or N,C,H,W,M,K[,stride,pad,dilation,groups].",
    {{"--shape", "SHAPE", "the shape (or give it as the argument)"},
     {"--budget", "BYTES", "extra-memory limit: 4096, 64K, 1.5M, 2G or unlimited (default unlimited)"},
     {"--kernel", "NAME", "a kernel name or auto (default auto)"},
     {"--isa", "NAME", "an ISA or auto (default auto)"},
     {"--threads", "N", "worker threads (default 1)"}},
    1};

std::string shape_text(const ParsedOptions& opts) {
    if (opts.has("--shape") && !opts.positional.empty())
        throw UsageError("give the shape once: as --shape or as the argument");
    if (opts.has("--shape")) return opts.text("--shape");
    if (opts.positional.empty()) throw UsageError("no shape given (--shape SHAPE or SHAPE)");
    return opts.positional[0];
}

}  // namespace

int explain_command(int argc, char** argv) {
    ParsedOptions opts = parse_options(kSpec, argc, argv);
    if (opts.help) {
        print_help(kSpec, stdout);
        return 0;
    }
    const convkit::ConvShape shape = parse_shape_arg("shape", shape_text(opts));
    parse_byte_size("--budget", opts.text("--budget", "unlimited"));
    opts.integer("--threads", 1, 1);
    std::printf("shape: %s\n", shape.to_string().c_str());
    std::fprintf(stderr, "explain: not yet available (the runtime's convkit::explain() is not wired in yet)\n");
    return 2;
}

}  // namespace convkit_cli
