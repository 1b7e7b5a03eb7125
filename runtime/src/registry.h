// The table of compiled kernels (generated from the CMake kernel list).
#pragma once

#include <string>
#include <vector>

#include "HalideRuntime.h"
#include "convkit/convkit.h"

namespace convkit::detail {

// The calling convention every convolution kernel shares (see
// generators/conv_common.h for the buffer views). user_context is the run's
// detail::RunContext.
using KernelFn = int (*)(const void* user_context, halide_buffer_t* input, halide_buffer_t* weights, halide_buffer_t* bias,
                         int stride_x, int stride_y, int dilation_x, int dilation_y, int pad_left,
                         int pad_top, bool relu, int threads, int region, halide_buffer_t* output);

// Facts of a kernel's schedule, read from its generated info function.
struct ScheduleFacts {
    int block = 0;   // output channels per packed weight block
    int tile_x = 0;  // output columns per register tile
    int tile_y = 0;  // output rows per register tile
    bool split_regions = false;  // run interior and border regions apart
    int column_rows = 0;  // rows per tile of the padding strips (0: no strip tiling)
    int band_x = 0, band_y = 0;  // tile of the padding bands
    int staged_columns = 0, staged_rows = 0;  // bound of the staged kind's input copy (0: none)
    int staged_channels = 0;    // input channels per whole-plane copy (0: depthwise row tiles)
    int staged_plane_rows = 0;  // output rows per whole-plane pass
    int lanes_groups = 0;       // groups per vector of the lanes kind (0: none)
    int lanes_columns = 0, lanes_rows = 0;  // bound of the lanes kind's plane copy
    int flat_columns = 0;  // plane width for 1x1 stride-1 unpadded layers (0: none; regions.h)
    int plane_elements = 0;  // bound of the plane kind's outputs + taps' reach, in pixels (0: none)
    int segment_columns = 0;  // output columns per segment of direct_padded's tiles (0: none)
    int plane_tile = 0;  // outputs per register tile of the plane kind's flat row
    int masked_columns = 0;  // output columns per register tile of the masked kind (0: none)
    int row_tile_widths = 0;  // direct_padded: bit w set: maps exactly w wide compute one whole row per tile
};

struct KernelEntry {
    KernelInfo info;
    KernelFn fn;
    ScheduleFacts facts;
};

// Every compiled (kernel, ISA), whether or not this CPU can run it.
const std::vector<KernelEntry>& registry();

// Kernel `name` for `isa` ("auto": the best ISA this CPU runs). Throws Error
// naming what is available when the kernel or the ISA is unknown, or when the
// CPU cannot run the requested ISA.
const KernelEntry& find_kernel(const std::string& name, const std::string& isa);

// "a, b, c": for error messages that list what is available.
std::string join_names(const std::vector<std::string>& names);

}  // namespace convkit::detail
