// kernel = "auto": which compiled kernels may run a shape under the options,
// their predicted times, and the choice (convkit::explain).
#pragma once

#include "convkit/convkit.h"
#include "registry.h"

namespace convkit::detail {

// Throws Error for options no plan accepts (threads out of range, ...).
void validate_options(const Options& options);

// The ISA the options ask for: "auto" is the best this CPU runs. Throws Error
// when the ISA is not compiled in or the CPU cannot run it.
std::string resolve_isa(const std::string& isa);

}  // namespace convkit::detail
