// The extra memory of each kernel: the documented formula, which the tests
// compare with what the allocator hook measures.
#pragma once

#include <cstddef>
#include <string>

#include "registry.h"

namespace convkit::detail {

// Every scratch buffer Halide allocates starts at this alignment (Halide
// needs 64 bytes on x86, 32 on ARM; 128 keeps buffers on separate line pairs).
constexpr size_t kWorkspaceAlignment = 128;

// What one run allocates at its peak: the bytes Halide requests and how many
// buffers hold them at once.
struct WorkspaceNeed {
    size_t bytes = 0;
    size_t buffers = 0;
};

// The need of `kernel` for shape `s` with `threads` threads (an upper bound
// for any task overlap, reached at 1 thread, where it is exact). Throws Error
// for a kernel without a formula, so none can ship without one.
WorkspaceNeed workspace_need(const KernelEntry& kernel, const ConvShape& s, int threads);

// The formula of workspace_need() as text (KernelInfo::extra_memory); throws
// Error like it for a kernel without one.
std::string workspace_formula_text(const std::string& kernel);

// Bytes of one workspace block that serves `need` at kWorkspaceAlignment,
// wherever the block starts: the bytes plus an alignment gap per buffer and
// one for the block's start. Zero when nothing is needed.
size_t workspace_block_bytes(const WorkspaceNeed& need);

}  // namespace convkit::detail
