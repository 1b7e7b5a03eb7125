#include "cpu.h"

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1 << 1)
#endif
#endif

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace convkit::detail {
namespace {

#if defined(__x86_64__)
// F16C from CPUID leaf 1 (ECX bit 29): clang 14's __builtin_cpu_supports does
// not know "f16c". It needs no OS state beyond AVX's, which avx2 checks.
bool has_f16c() {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 29)) != 0;
}
#endif

}  // namespace

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
               has_f16c() && cpu_supports("sse41");
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
