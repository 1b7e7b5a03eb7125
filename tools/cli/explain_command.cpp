// convkit explain: the runtime's kernel choice for a shape and a memory budget,
// with every candidate, its extra memory, its predicted time and why it was
// or was not chosen (convkit::explain()).
#include "cli_options.h"
#include "commands.h"
#include "shape_arg.h"

#include <convkit/convkit.h>

namespace convkit_cli {
namespace {

const CommandSpec kSpec{
    "explain",
    "[SHAPE]",
    "Shows which kernel the runtime picks for a shape under a memory budget, with every\n"
    "candidate: extra bytes, predicted ms (and where the prediction comes from), verdict.\n"
    "SHAPE: a benchdnn descriptor (mb1ic64ih56oc64oh56kh3ph1) or N,C,H,W,M,K[,stride,pad,dilation,groups].",
    {{"--shape", "SHAPE", "the shape (or give it as the argument)"},
     {"--budget", "BYTES", "extra-memory limit: 4096, 64K, 1.5M, 2G or unlimited (default unlimited)"},
     {"--kernel", "NAME", "a kernel name or auto (default auto)"},
     {"--isa", "NAME", "an ISA or auto (default auto)"},
     {"--threads", "N", "worker threads (default 1)"},
     {"--timings", "FILE", "a timing table from tools/tune.sh (default: built in or $CONVKIT_TIMINGS)"},
     {"--measure", "", "time every candidate now instead of predicting"},
     {"--deterministic", "", "a choice that gives the same bits for any thread count"}},
    1};

std::string shape_text(const ParsedOptions& opts) {
    if (opts.has("--shape") && !opts.positional.empty())
        throw UsageError("give the shape once: as --shape or as the argument");
    if (opts.has("--shape")) return opts.text("--shape");
    if (opts.positional.empty()) throw UsageError("no shape given (--shape SHAPE or SHAPE)");
    return opts.positional[0];
}

convkit::Options explain_options(const ParsedOptions& opts) {
    convkit::Options o;
    o.workspace_limit = parse_byte_size("--budget", opts.text("--budget", "unlimited"));
    o.kernel = opts.text("--kernel", "auto");
    o.isa = opts.text("--isa", "auto");
    o.threads = opts.integer("--threads", 1, 1);
    o.timings_file = opts.text("--timings");
    if (opts.has("--measure")) o.selection = convkit::Selection::Measure;
    o.deterministic = opts.has("--deterministic");
    return o;
}

}  // namespace

int explain_command(int argc, char** argv) {
    ParsedOptions opts = parse_options(kSpec, argc, argv);
    if (opts.help) {
        print_help(kSpec, stdout);
        return 0;
    }
    const convkit::ConvShape shape = parse_shape_arg("shape", shape_text(opts));
    const convkit::Explanation e = convkit::explain(shape, explain_options(opts));
    std::fputs(e.to_string().c_str(), stdout);
    std::printf("choice: %s (%zu extra bytes)\n", e.choice().kernel.name.c_str(), e.choice().workspace_bytes);
    return 0;
}

}  // namespace convkit_cli
