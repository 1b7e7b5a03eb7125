// Accounting of the heap memory Halide kernels allocate.
#pragma once

namespace convkit::detail {

// Routes halide_malloc/halide_free through convkit's counting allocator.
// Idempotent and thread-safe.
void install_memory_hook();

}  // namespace convkit::detail
