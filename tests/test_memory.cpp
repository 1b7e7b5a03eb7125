// Heap memory that kernels allocate during run(), measured with MemoryProbe.
//
// Each kernel's documented formula (runtime/src/workspace.cpp) gives the
// scratch bytes one run requests. With one thread the measured peak must equal
// it exactly: the counting allocator records requested bytes, so there is no
// slack to allow (Halide's stack allocations of register tiles are not heap
// memory). With more threads the formula is the bound for all tasks
// allocating at once, and the peak lies between one task's share and it,
// depending on how the tasks overlap. A kernel with no workspace must not
// allocate at all. workspace_bytes() adds the alignment gaps of one block;
// runs take their scratch from the plan's block or the caller's, never from
// the heap. Written over kernels(), so kernels added later are covered.
#include "shape_grid.h"
#include "test_util.h"

#include <convkit/convkit.h>
#include <gtest/gtest.h>

#include "registry.h"
#include "workspace.h"

#include <string>
#include <vector>

namespace convkit_test {
namespace {

using convkit::ConvShape;

// Hand-picked cases, then every 6th shape of the test grid: >= 30 per kernel.
std::vector<ConvShape> memory_shapes() {
    std::vector<ConvShape> shapes = {
        Shape(1, 4, 9, 11).out(8).kernel(3, 3).pad(1),
        Shape(1, 16, 12, 12).out(16).kernel(3, 3).stride(2, 2).pad(1),
        Shape(3, 8, 10, 10).out(8).kernel(3, 3).pad(1).groups(8),          // depthwise, batch 3
        Shape(1, 3, 23, 23).out(16).kernel(7, 7).stride(2, 2).pad(3),      // first layer
        Shape(1, 32, 7, 7).out(64).kernel(1, 1),
        Shape(1, 8, 11, 9).out(8).kernel(5, 5).pad(2, 1, 0, 3).groups(2),  // asymmetric padding
        Shape(3, 4, 8, 8).out(5).kernel(3, 3).stride(2, 2).pad(1, 0, 1, 0),
        Shape(1, 4, 13, 13).out(8).kernel(3, 3).pad(2).dilation(2, 2),
        Shape(1, 16, 9, 9).out(32).kernel(3, 3).pad(1).groups(16),         // depthwise x2
        Shape(2, 5, 17, 31).out(17).kernel(3, 5).stride(1, 2).pad(1, 1, 2, 2),
        // wider than direct_padded's segment (56 columns on AVX-512, 48 on
        // AVX2/NEON), two channel blocks each way, both partial
        Shape(1, 20, 6, 61).out(40).kernel(3, 3).pad(1),
        // exactly as wide as direct_padded's row tiles (13 and 7 columns on AVX-512)
        Shape(2, 40, 7, 13).out(72).kernel(3, 3).pad(0, 0, 1, 1).groups(2),
        Shape(1, 24, 7, 7).out(40).kernel(3, 3).pad(1),
        Shape(1, 20, 3, 13).out(40).kernel(3, 3).pad(0, 0, 1, 1),  // one row of 13
    };
    const std::vector<ConvShape> grid = grid_shapes();
    for (size_t i = 0; i < grid.size(); i += 6) shapes.push_back(grid[i]);
    return shapes;
}

TEST(MemoryShapes, AtLeast30PerKernel) { EXPECT_GE(memory_shapes().size(), 30u); }

class MemoryTest : public ::testing::TestWithParam<RunCase> {};

convkit::detail::WorkspaceNeed formula(const convkit::Plan& plan) {
    return convkit::detail::workspace_need(
        convkit::detail::find_kernel(plan.kernel().name, plan.isa()), plan.shape(), plan.threads());
}

void expect_within_formula(const convkit::MemoryProbe& probe, size_t need, int threads) {
    const size_t peak = probe.peak_bytes();
    EXPECT_EQ(probe.heap_allocations(), 0u) << "scratch must come from a workspace block";
    if (need == 0) {
        EXPECT_EQ(peak, 0u);
        EXPECT_EQ(probe.allocations(), 0u);
    } else if (threads == 1) {
        EXPECT_EQ(peak, need);
    } else {
        EXPECT_LE(peak, need);
        EXPECT_GE(peak * size_t(threads), need);
    }
}

TEST_P(MemoryTest, RunAllocatesOnlyItsWorkspace) {
    const RunCase& c = GetParam();
    const ConvData data = make_conv_data(c.shape, static_cast<uint32_t>(c.index));
    const convkit::Plan plan(c.shape, data.weights.data(), data.bias.data(), c.options());
    const convkit::detail::WorkspaceNeed need = formula(plan);
    EXPECT_EQ(plan.workspace_bytes(), convkit::detail::workspace_block_bytes(need));
    std::vector<float> output = nan_filled(static_cast<size_t>(c.shape.output_elements()));

    // The first run may not set anything up lazily beyond the workspace either.
    for (int run = 1; run <= 2; ++run) {
        SCOPED_TRACE("run " + std::to_string(run) + ", formula " + std::to_string(need.bytes));
        const convkit::MemoryProbe probe;
        plan.run(data.input.data(), output.data());
        expect_within_formula(probe, need.bytes, c.threads);
    }
}

// A caller workspace of exactly workspace_bytes(), starting at an odd address:
// the run allocates nothing else and computes the same bits.
TEST_P(MemoryTest, CallerWorkspaceServesTheWholeRun) {
    const RunCase& c = GetParam();
    const ConvData data = make_conv_data(c.shape, static_cast<uint32_t>(c.index));
    const convkit::Plan plan(c.shape, data.weights.data(), data.bias.data(), c.options());
    std::vector<float> own = nan_filled(static_cast<size_t>(c.shape.output_elements()));
    plan.run(data.input.data(), own.data());

    std::vector<unsigned char> arena(plan.workspace_bytes() + 3);
    std::vector<float> output = nan_filled(own.size());
    const convkit::MemoryProbe probe;
    plan.run(convkit::Span<const float>(data.input), convkit::Span<float>(output),
             convkit::Span<unsigned char>(arena.data() + 3, plan.workspace_bytes()));
    expect_within_formula(probe, formula(plan).bytes, c.threads);
    EXPECT_TRUE(bitwise_equal(output, own));
}

INSTANTIATE_TEST_SUITE_P(Shapes, MemoryTest, ::testing::ValuesIn(run_cases(memory_shapes())),
                         run_case_name);

}  // namespace
}  // namespace convkit_test
