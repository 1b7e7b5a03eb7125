#include "cpu.h"

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1 << 1)
#endif
#endif

namespace convkit::detail {

bool cpu_supports(const std::string& isa) {
#if defined(__x86_64__)
    // __builtin_cpu_supports also checks that the OS saves the vector state.
    if (isa == "avx512") {
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512vl") && cpu_supports("avx2");
    }
    if (isa == "avx2") {
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
               __builtin_cpu_supports("f16c") && cpu_supports("sse41");
    }
    if (isa == "sse41") return __builtin_cpu_supports("sse4.1");
#elif defined(__aarch64__) && defined(__linux__)
    // Halide has no ARM feature detection on Linux: read the kernel's HWCAP.
    if (isa == "neon") return (getauxval(AT_HWCAP) & HWCAP_ASIMD) != 0;
#elif defined(__aarch64__)
    if (isa == "neon") return true;  // NEON is part of AArch64
#endif
    return false;
}

int isa_rank(const std::string& isa) {
    if (isa == "avx512") return 3;
    if (isa == "avx2") return 2;
    if (isa == "sse41" || isa == "neon") return 1;
    return 0;
}

}  // namespace convkit::detail
