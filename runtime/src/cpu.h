// Which ISAs the running CPU supports.
#pragma once

#include <string>

namespace convkit::detail {

// True when the CPU (and OS) can run kernels compiled for `isa`
// ("avx512", "avx2", "sse41", "neon"; see cmake/ConvkitHalide.cmake).
bool cpu_supports(const std::string& isa);

// Preference among ISAs when several can run: higher is better.
int isa_rank(const std::string& isa);

}  // namespace convkit::detail
