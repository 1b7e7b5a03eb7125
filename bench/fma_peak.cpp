#include "fma_peak.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace convkit_bench {
namespace {

constexpr int kAccumulators = 12;
// The fastest of several short trials: a busy machine only slows trials down.
constexpr int kTrials = 5;

// acc = acc * a + b on kAccumulators independent vectors, `iters` times; the
// constants keep every value normal. Returns a value that depends on all
// accumulators so nothing is optimized away.
#define CONVKIT_FMA_LOOP(NAME, ATTR, VEC, SET1, FMA, LANE0)                    \
    ATTR float NAME(int64_t iters) {                                            \
        const VEC a = SET1(0.999f), b = SET1(0.001f);                           \
        VEC acc[kAccumulators];                                                  \
        for (int j = 0; j < kAccumulators; ++j) acc[j] = SET1(float(j));        \
        for (int64_t i = 0; i < iters; ++i)                                      \
            for (int j = 0; j < kAccumulators; ++j) acc[j] = FMA(acc[j], a, b); \
        float sum = 0;                                                          \
        for (int j = 0; j < kAccumulators; ++j) sum += LANE0(acc[j]);           \
        return sum;                                                             \
    }

struct Loop {
    const char* isa;
    int lanes;
    float (*run)(int64_t iters);
};

#if defined(__x86_64__)
#define CONVKIT_MUL_ADD(x, a, b) _mm_add_ps(_mm_mul_ps(x, a), b)
CONVKIT_FMA_LOOP(avx512_loop, __attribute__((target("avx512f"))), __m512, _mm512_set1_ps,
                 _mm512_fmadd_ps, _mm512_cvtss_f32)
CONVKIT_FMA_LOOP(avx2_loop, __attribute__((target("avx2,fma"))), __m256, _mm256_set1_ps,
                 _mm256_fmadd_ps, _mm256_cvtss_f32)
CONVKIT_FMA_LOOP(sse_loop, , __m128, _mm_set1_ps, CONVKIT_MUL_ADD, _mm_cvtss_f32)

Loop widest_loop() {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return {"avx512", 16, avx512_loop};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return {"avx2", 8, avx2_loop};
    return {"sse (mul+add)", 4, sse_loop};
}
#elif defined(__aarch64__)
inline float32x4_t neon_fma(float32x4_t x, float32x4_t a, float32x4_t b) {
    return vfmaq_f32(b, x, a);
}
inline float neon_lane0(float32x4_t v) { return vgetq_lane_f32(v, 0); }
CONVKIT_FMA_LOOP(neon_loop, , float32x4_t, vdupq_n_f32, neon_fma, neon_lane0)
Loop widest_loop() { return {"neon", 4, neon_loop}; }
#else
inline float scalar_fma(float x, float a, float b) { return x * a + b; }
inline float identity(float x) { return x; }
inline float splat(float x) { return x; }
CONVKIT_FMA_LOOP(scalar_loop, , float, splat, scalar_fma, identity)
Loop widest_loop() { return {"scalar", 1, scalar_loop}; }
#endif

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Wall seconds for `threads` threads each running the loop `iters` times.
double run_on_threads(const Loop& loop, int threads, int64_t iters) {
    std::vector<float> sink(size_t(threads), 0.0f);
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back([&, t] { sink[t] = loop.run(iters); });
    for (std::thread& th : pool) th.join();
    volatile float keep = sink[0];
    (void)keep;
    return seconds_since(start);
}

}  // namespace

FmaPeak measure_fma_peak(int threads, double duration_ms) {
    const Loop loop = widest_loop();
    int64_t iters = 1 << 14;
    double seconds = run_on_threads(loop, 1, iters);
    while (seconds < 0.005) {  // calibrate on one thread
        iters *= 4;
        seconds = run_on_threads(loop, 1, iters);
    }
    iters = int64_t(double(iters) * (duration_ms / 1000 / kTrials) / seconds) + 1;
    double best = 1e300;
    for (int t = 0; t < kTrials; ++t) best = std::min(best, run_on_threads(loop, threads, iters));
    const double flops = 2.0 * loop.lanes * kAccumulators * double(iters) * threads;
    return FmaPeak{loop.isa, threads, flops / best / 1e9};
}

}  // namespace convkit_bench
