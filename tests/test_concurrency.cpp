// Threads: one plan run from 8 threads at once, plans created concurrently,
// and results bit-identical for any thread count (deterministic).
#include "shape_grid.h"
#include "test_util.h"

#include <convkit/convkit.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

namespace convkit_test {
namespace {

using convkit::ConvShape;
using convkit::Options;
using convkit::Plan;

constexpr int kCallers = 8;

std::vector<float> run_once(const Plan& plan, const std::vector<float>& input) {
    std::vector<float> output = nan_filled(size_t(plan.shape().output_elements()));
    plan.run(input.data(), output.data());
    return output;
}

Options kernel_options(const std::string& kernel, int threads = 1) {
    Options o;
    o.kernel = kernel;
    o.threads = threads;
    return o;
}

// Every caller thread runs the same plan on its own input three times.
TEST(Concurrency, OnePlanFromEightThreadsMatchesSerialRuns) {
    const ConvShape s = Shape(2, 16, 15, 17).out(24).kernel(3, 3).pad(1);
    const ConvData data = make_conv_data(s, 11);
    for (const std::string& kernel : kernel_names()) {
        SCOPED_TRACE(kernel);
        const Plan plan(s, data.weights.data(), data.bias.data(), kernel_options(kernel, 2));
        std::vector<std::vector<float>> inputs, serial;
        for (int t = 0; t < kCallers; ++t) {
            inputs.push_back(random_floats(size_t(s.input_elements()), 100 + t));
            serial.push_back(run_once(plan, inputs.back()));
        }
        std::vector<std::vector<float>> concurrent(kCallers);
        std::vector<std::thread> callers;
        for (int t = 0; t < kCallers; ++t) {
            callers.emplace_back([&, t] {
                for (int repeat = 0; repeat < 3; ++repeat) concurrent[t] = run_once(plan, inputs[t]);
            });
        }
        for (std::thread& c : callers) c.join();
        for (int t = 0; t < kCallers; ++t) EXPECT_TRUE(bitwise_equal(concurrent[t], serial[t])) << "caller " << t;
    }
}

// Eight threads each create (and run) their own plans, every kernel.
TEST(Concurrency, PlansCreatedConcurrentlyMatchSerialOnes) {
    const ConvShape s = Shape(1, 8, 13, 11).out(16).kernel(3, 3).stride(2, 1).pad(1);
    const ConvData data = make_conv_data(s, 12);
    const std::vector<std::string> names = kernel_names();
    std::vector<std::vector<float>> serial;
    for (const std::string& k : names) {
        serial.push_back(run_once(Plan(s, data.weights.data(), nullptr, kernel_options(k)), data.input));
    }
    std::vector<std::vector<std::vector<float>>> got(kCallers);
    std::vector<std::thread> callers;
    for (int t = 0; t < kCallers; ++t) {
        callers.emplace_back([&, t] {
            for (const std::string& k : names) {
                got[t].push_back(run_once(Plan(s, data.weights.data(), nullptr, kernel_options(k)), data.input));
            }
        });
    }
    for (std::thread& c : callers) c.join();
    for (int t = 0; t < kCallers; ++t) {
        for (size_t k = 0; k < names.size(); ++k) {
            EXPECT_TRUE(bitwise_equal(got[t][k], serial[k])) << names[k] << ", caller " << t;
        }
    }
}

// No kernel splits a reduction across threads, so every kernel gives the same
// bits at 1, 2 and 4 threads; with deterministic = true, "auto" must also
// choose the same kernel whatever the thread count.
std::vector<float> run_with_threads(const ConvShape& s, const ConvData& data, Options o, int threads) {
    o.threads = threads;
    return run_once(Plan(s, data.weights.data(), data.bias.data(), o), data.input);
}

TEST(Determinism, EveryKernelIsBitIdenticalAcrossThreadCounts) {
    const std::vector<ConvShape> grid = grid_shapes();
    for (size_t i = 0; i < grid.size(); i += 5) {
        const ConvData data = make_conv_data(grid[i], uint32_t(i));
        for (const std::string& kernel : kernel_names()) {
            SCOPED_TRACE(kernel + " on " + shape_name(grid[i]));
            const std::vector<float> one = run_with_threads(grid[i], data, kernel_options(kernel), 1);
            for (int threads : {2, 4}) {
                EXPECT_TRUE(bitwise_equal(run_with_threads(grid[i], data, kernel_options(kernel), threads), one))
                    << threads << " threads";
            }
        }
    }
}

TEST(Determinism, AutoChoiceDoesNotDependOnThreads) {
    Options o;
    o.deterministic = true;
    const std::vector<ConvShape> grid = grid_shapes();
    for (size_t i = 0; i < grid.size(); i += 3) {
        SCOPED_TRACE(shape_name(grid[i]));
        const ConvData data = make_conv_data(grid[i], uint32_t(i));
        const std::vector<float> one = run_with_threads(grid[i], data, o, 1);
        for (int threads : {2, 4}) {
            o.threads = threads;
            EXPECT_EQ(convkit::explain(grid[i], o).choice().kernel.name,
                      convkit::explain(grid[i], [&] { Options one_thread = o; one_thread.threads = 1; return one_thread; }())
                          .choice().kernel.name);
            EXPECT_TRUE(bitwise_equal(run_with_threads(grid[i], data, o, threads), one)) << threads << " threads";
        }
    }
}

// IEEE: a NaN input poisons exactly the outputs whose window reads it; an
// infinity gives infinities or NaNs there; other outputs stay finite.
TEST(NonFinite, NanAndInfPropagateOnlyThroughTheirWindows) {
    const ConvShape s = Shape(1, 4, 12, 14).out(8).kernel(3, 3).pad(1);
    for (float poison : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
        ConvData data = make_conv_data(s, 21);
        const int64_t py = 5, px = 6;  // poisoned input pixel, channel 2
        data.input[size_t((2 * s.H + py) * s.W + px)] = poison;
        for (const std::string& kernel : kernel_names()) {
            SCOPED_TRACE(kernel + (std::isnan(poison) ? " NaN" : " Inf"));
            const std::vector<float> out =
                run_once(Plan(s, data.weights.data(), nullptr, kernel_options(kernel)), data.input);
            int bad = 0;
            for (int64_t m = 0; m < s.M; ++m)
                for (int64_t y = 0; y < s.out_h(); ++y)
                    for (int64_t x = 0; x < s.out_w(); ++x) {
                        const float v = out[size_t((m * s.out_h() + y) * s.out_w() + x)];
                        const bool reads_it = std::abs(y - py) <= 1 && std::abs(x - px) <= 1;
                        bad += reads_it == std::isfinite(v);
                    }
            EXPECT_EQ(bad, 0);
        }
    }
}

}  // namespace
}  // namespace convkit_test
