// Heap memory that kernels allocate during run(), measured with MemoryProbe.
//
// workspace_bytes() is each kernel's documented formula (runtime/src/
// workspace.cpp). With one thread the measured peak must equal it exactly:
// the counting allocator records requested bytes, so there is no slack to
// allow (Halide's stack allocations of register tiles are not heap memory).
// With more threads the formula is the bound for all tasks allocating at
// once, and the peak lies between one task's share and it, depending on how
// the tasks overlap. A kernel with no workspace must not allocate at all.
// Written over kernels(), so kernels added later are covered.
#include "shape_grid.h"
#include "test_util.h"

#include <convkit/convkit.h>
#include <gtest/gtest.h>

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
    };
    const std::vector<ConvShape> grid = grid_shapes();
    for (size_t i = 0; i < grid.size(); i += 6) shapes.push_back(grid[i]);
    return shapes;
}

TEST(MemoryShapes, AtLeast30PerKernel) { EXPECT_GE(memory_shapes().size(), 30u); }

class MemoryTest : public ::testing::TestWithParam<RunCase> {};

TEST_P(MemoryTest, RunAllocatesOnlyItsWorkspace) {
    const RunCase& c = GetParam();
    const ConvData data = make_conv_data(c.shape, static_cast<uint32_t>(c.index));
    const convkit::Options options = c.options();
    const convkit::Plan plan(c.shape, data.weights.data(), data.bias.data(), options);
    const size_t workspace = plan.workspace_bytes();
    std::vector<float> output = nan_filled(static_cast<size_t>(c.shape.output_elements()));

    // The first run may not set anything up lazily beyond the workspace either.
    for (int run = 1; run <= 2; ++run) {
        SCOPED_TRACE("run " + std::to_string(run) + ", workspace_bytes() = " +
                     std::to_string(workspace));
        const convkit::MemoryProbe probe;
        plan.run(data.input.data(), output.data());
        const size_t peak = probe.peak_bytes();
        if (workspace == 0) {
            EXPECT_EQ(peak, 0u);
            EXPECT_EQ(probe.allocations(), 0u);
        } else if (c.threads == 1) {
            EXPECT_EQ(peak, workspace);
        } else {
            EXPECT_LE(peak, workspace);
            EXPECT_GE(peak * size_t(c.threads), workspace);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Shapes, MemoryTest, ::testing::ValuesIn(run_cases(memory_shapes())),
                         run_case_name);

}  // namespace
}  // namespace convkit_test
