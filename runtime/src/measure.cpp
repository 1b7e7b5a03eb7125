// Timing one plan: what Selection::Measure and convkit_tune rank kernels by.
#include <algorithm>
#include <chrono>
#include <vector>

#include "convkit/convkit.h"

namespace convkit {

double measure_run_ms(const Plan& plan, int samples) {
    if (samples < 1) throw Error("samples=" + std::to_string(samples) + " must be >= 1");
    const ConvShape& s = plan.shape();
    const std::vector<float> input(size_t(s.input_elements()), 0.0f);
    std::vector<float> output(size_t(s.output_elements()));
    plan.run(input.data(), output.data());  // warm-up: caches, pages, thread pool
    std::vector<double> times;
    for (int i = 0; i < samples; ++i) {
        const auto start = std::chrono::steady_clock::now();
        plan.run(input.data(), output.data());
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
        times.push_back(took.count());
    }
    std::nth_element(times.begin(), times.begin() + samples / 2, times.end());
    return times[size_t(samples / 2)];
}

}  // namespace convkit
