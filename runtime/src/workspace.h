// The extra memory of each kernel: the documented formula, which the tests
// compare with what the allocator hook measures.
#pragma once

#include <cstddef>

#include "registry.h"

namespace convkit::detail {

// Bytes one run of `kernel` allocates for shape `s` with `threads` threads
// (an upper bound reached at 1 thread, where it is exact). Throws Error for a
// kernel without a formula, so none can ship without one.
size_t workspace_bytes(const KernelEntry& kernel, const ConvShape& s, int threads);

}  // namespace convkit::detail
