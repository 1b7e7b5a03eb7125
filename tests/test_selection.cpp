// kernel = "auto" under a workspace budget: the budget is never exceeded
// (measured), the choice is the fastest predicted among the kernels that fit,
// and refused kernels carry their reasons.
#include "layer_suite.h"
#include "test_util.h"

#include <convkit/convkit.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "timings.h"

namespace convkit_test {
namespace {

using convkit::Candidate;
using convkit::ConvShape;
using convkit::Explanation;
using convkit::Options;

#include "public_suite.inc"  // kPublicSuiteCsv: layers/public.csv

const std::vector<convkit_bench::Layer>& public_suite() {
    static const std::vector<convkit_bench::Layer> layers = [] {
        std::istringstream csv(kPublicSuiteCsv);
        return convkit_bench::parse_csv_suite(csv, "layers/public.csv");
    }();
    return layers;
}

size_t workspace_of(const Explanation& e, const std::string& kernel) {
    for (const Candidate& c : e.candidates) {
        if (c.kernel.name == kernel) return c.workspace_bytes;
    }
    ADD_FAILURE() << kernel << " is not a candidate";
    return 0;
}

// Budgets of the issue: 0, MEC's need, im2col's need, unlimited.
std::vector<size_t> budgets(const ConvShape& s, int threads) {
    Options o;
    o.threads = threads;
    const Explanation all = convkit::explain(s, o);
    return {0, workspace_of(all, "mec_b"), workspace_of(all, "im2col"), convkit::kUnlimited};
}

// The choice is eligible, and no eligible candidate is predicted faster.
void expect_fastest_that_fits(const Explanation& e) {
    const Candidate& chosen = e.choice();
    EXPECT_TRUE(chosen.rejected.empty());
    EXPECT_LE(chosen.workspace_bytes, e.options.workspace_limit);
    for (const Candidate& c : e.candidates) {
        if (c.rejected.find("exceeds Halide's 2^31-1 byte buffer limit") != std::string::npos) {
            continue;  // e.g. kn2row's all-taps buffer on a stride-4 layer: 2.4 GB
        } else if (!c.rejected.empty()) {
            EXPECT_GT(c.workspace_bytes, e.options.workspace_limit) << c.kernel.name << ": " << c.rejected;
            EXPECT_NE(c.rejected.find("over workspace_limit"), std::string::npos) << c.rejected;
        } else if (c.predicted_ms >= 0) {
            EXPECT_GE(chosen.predicted_ms, 0) << "a kernel with no prediction beat " << c.kernel.name;
            EXPECT_LE(chosen.predicted_ms, c.predicted_ms) << c.kernel.name;
        }
    }
}

TEST(Selection, BudgetNeverExceededOnThePublicSuite) {
    for (const convkit_bench::Layer& layer : public_suite()) {
        for (int threads : {1, 2}) {
            for (size_t limit : budgets(layer.shape, threads)) {
                SCOPED_TRACE(layer.name + ", " + std::to_string(threads) + " threads, limit " +
                             std::to_string(limit));
                Options o;
                o.threads = threads;
                o.workspace_limit = limit;
                const ConvData data = make_conv_data(layer.shape, 1);
                const convkit::Plan plan(layer.shape, data.weights.data(), nullptr, o);
                expect_fastest_that_fits(plan.explanation());
                EXPECT_LE(plan.workspace_bytes(), limit);
                std::vector<float> output(size_t(layer.shape.output_elements()));
                const convkit::MemoryProbe probe;
                plan.run(data.input.data(), output.data());
                EXPECT_LE(probe.peak_bytes(), plan.workspace_bytes()) << plan.kernel().name;
                EXPECT_EQ(probe.heap_allocations(), 0u) << plan.kernel().name;
            }
        }
    }
}

TEST(Selection, ZeroBudgetAlwaysHasAnAnswer) {
    Options o;
    o.workspace_limit = 0;
    for (const convkit_bench::Layer& layer : public_suite()) {
        const Explanation e = convkit::explain(layer.shape, o);
        EXPECT_EQ(e.choice().workspace_bytes, 0u) << layer.name;
    }
}

TEST(Selection, SuiteLayersAreTimedInTheBuiltInTable) {
    // The built-in table covers the public suite at 1 thread for the ISAs it
    // was measured on; for those the prediction is the table's time.
    Options o;
    const std::string isa = convkit::supported_isas().front();
    bool table_has_isa = false;
    for (const auto& row : convkit::detail::TimingTable::for_options(o).rows()) {
        table_has_isa = table_has_isa || (row.isa == isa && row.threads == 1);
    }
    if (!table_has_isa) {
        // Another machine: predictions come from the model, still complete.
        for (const convkit_bench::Layer& layer : public_suite()) {
            for (const Candidate& c : convkit::explain(layer.shape, o).candidates) {
                if (c.rejected.empty()) EXPECT_GE(c.predicted_ms, 0) << c.kernel.name << " on " << layer.name;
            }
        }
        return;
    }
    for (const convkit_bench::Layer& layer : public_suite()) {
        for (const Candidate& c : convkit::explain(layer.shape, o).candidates) {
            if (c.rejected.empty()) {
                EXPECT_EQ(c.basis.rfind("table", 0), 0u) << c.kernel.name << " on " << layer.name << ": " << c.basis;
            }
        }
    }
}

TEST(Selection, RefusedCandidatesSayWhy) {
    Options o;
    o.workspace_limit = 1000;
    const ConvShape s = convkit::make_shape(1, 64, 28, 28, 64, 3, 1, 1);
    const Explanation e = convkit::explain(s, o);
    int refused = 0;
    for (const Candidate& c : e.candidates) {
        if (c.workspace_bytes <= 1000) continue;
        ++refused;
        EXPECT_EQ(c.rejected, "needs " + std::to_string(c.workspace_bytes) + " bytes, over workspace_limit=1000");
    }
    EXPECT_GE(refused, 5);
    const std::string text = e.to_string();
    EXPECT_NE(text.find("CHOSEN"), std::string::npos) << text;
    EXPECT_NE(text.find("rejected: needs"), std::string::npos) << text;
}

TEST(Selection, DeterministicModeRefusesThreadDependentWorkspace) {
    Options o;
    o.deterministic = true;
    o.threads = 2;
    const Explanation e = convkit::explain(convkit::make_shape(1, 32, 20, 20, 32, 3, 1, 1), o);
    for (const Candidate& c : e.candidates) {
        if (c.kernel.name == "im2col_tiled") EXPECT_NE(c.rejected.find("deterministic"), std::string::npos);
        else EXPECT_EQ(c.rejected, "") << c.kernel.name;
    }
}

TEST(Selection, MeasureModeTimesEveryEligibleCandidate) {
    Options o;
    o.selection = convkit::Selection::Measure;
    o.workspace_limit = 1 << 20;
    const Explanation e = convkit::explain(convkit::make_shape(1, 16, 14, 14, 16, 3, 1, 1), o);
    for (const Candidate& c : e.candidates) {
        if (!c.rejected.empty()) continue;
        EXPECT_EQ(c.basis, "measured now");
        EXPECT_GT(c.predicted_ms, 0);
    }
    expect_fastest_that_fits(e);
}

TEST(Selection, NamedKernelIsKeptAndExplained) {
    Options o;
    o.kernel = "mec_b";
    const convkit::Plan plan(convkit::make_shape(1, 8, 9, 9, 8, 3), random_floats(8 * 8 * 9, 3).data(), nullptr, o);
    EXPECT_EQ(plan.kernel().name, "mec_b");
    EXPECT_EQ(plan.explanation().choice().kernel.name, "mec_b");
}

// A user table (FFTW-wisdom style) replaces the built-in one; exact rows win.
TEST(Timings, UserTableDecidesTheChoice) {
    const ConvShape s = convkit::make_shape(1, 8, 12, 12, 8, 3, 1, 1);
    const std::string isa = convkit::supported_isas().front();
    const std::string path = ::testing::TempDir() + "/convkit_timings.csv";
    {
        std::ofstream out(path);
        out << convkit::detail::TimingTable::csv_header() << "\n";
        for (const std::string& kernel : kernel_names()) {
            out << convkit::detail::TimingTable::csv_row({isa, kernel, 1, s, kernel == "mec_a" ? 0.001 : 1.0})
                << "\n";
        }
    }
    Options o;
    o.timings_file = path;
    EXPECT_EQ(convkit::explain(s, o).choice().kernel.name, "mec_a");
    o.workspace_limit = 0;
    EXPECT_NE(convkit::explain(s, o).choice().kernel.name, "mec_a");
}

// A case held in several rows is predicted by their median, whatever
// their order: one noisy row does not decide.
TEST(Timings, RepeatedRowsPredictTheirMedian) {
    using convkit::detail::TimingTable;
    const ConvShape s = convkit::make_shape(1, 64, 28, 28, 64, 3, 1, 1);
    const ConvShape other = convkit::make_shape(1, 64, 14, 14, 64, 3, 1, 1);
    auto row = [&](const ConvShape& shape, double ms) {
        return TimingTable::csv_row({"avx2", "direct", 1, shape, ms}) + "\n";
    };
    const std::string header = TimingTable::csv_header() + "\n";
    const TimingTable three =
        TimingTable::parse(header + row(s, 9.0) + row(other, 100.0) + row(s, 1.0) + row(s, 2.0), "t");
    const convkit::detail::Prediction p = three.predict("direct", "avx2", 1, s);
    EXPECT_DOUBLE_EQ(p.ms, 2.0);
    EXPECT_EQ(p.basis, "table (median of 3 rows)");
    const TimingTable two = TimingTable::parse(header + row(s, 3.0) + row(s, 1.0), "t");
    EXPECT_DOUBLE_EQ(two.predict("direct", "avx2", 1, s).ms, 2.0);
    const TimingTable one = TimingTable::parse(header + row(s, 3.0), "t");
    EXPECT_DOUBLE_EQ(one.predict("direct", "avx2", 1, s).ms, 3.0);
    EXPECT_EQ(one.predict("direct", "avx2", 1, s).basis, "table");
}

TEST(Timings, MalformedTableNamesTheLine) {
    EXPECT_TRUE(throws_error(
        [] { convkit::detail::TimingTable::parse("isa,threads\navx2,1,direct,1,2\n", "t.csv"); }, {"t.csv:2"}));
}

TEST(Timings, ModelPredictsFromSimilarShapes) {
    const std::string isa = "avx2";
    convkit::detail::TimingTable table = convkit::detail::TimingTable::parse(
        convkit::detail::TimingTable::csv_header() + "\n" +
            convkit::detail::TimingTable::csv_row({isa, "direct", 1, convkit::make_shape(1, 64, 56, 56, 64, 3, 1, 1), 2.0}),
        "test");
    const ConvShape twice = convkit::make_shape(2, 64, 56, 56, 64, 3, 1, 1);  // same map, twice the FLOPs
    const convkit::detail::Prediction p = table.predict("direct", isa, 1, twice);
    EXPECT_NEAR(p.ms, 4.0, 1e-9);
    EXPECT_NE(p.basis.find("model"), std::string::npos);
    EXPECT_LT(table.predict("im2col", isa, 1, twice).ms, 0);  // no data at all
}

}  // namespace
}  // namespace convkit_test
