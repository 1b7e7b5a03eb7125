// Publishes facts of a kernel's schedule to the runtime, as a tiny pipeline
// compiled for the same target as the kernel:
//   info = {block, tile_x, tile_y, split_regions, column_rows, band_x, band_y,
//           staged_columns, staged_rows, staged_channels, staged_plane_rows,
//           lanes_groups, lanes_columns, lanes_rows, flat_columns, plane_elements,
//           segment_columns, plane_tile, masked_columns, row_tile_widths}
//   (schedules/kernel_facts.h)
#include "conv_common.h"
#include "kernel_facts.h"

namespace convkit_gen {
namespace {

class KernelInfo : public Generator<KernelInfo> {
public:
    GeneratorParam<std::string> lowering{"lowering", "direct"};
    GeneratorParam<std::string> schedule_name{"schedule", "channels"};
    Output<Buffer<int32_t, 1>> info{"info"};

    void generate() {
        const KernelFacts f = kernel_facts(lowering, schedule_name, target_facts(get_target()));
        Var i("i");
        info(i) = select(i == 0, f.block, i == 1, f.tile_x, i == 2, f.tile_y, i == 3, int(f.split_regions),
                         i == 4, f.column_rows, i == 5, f.band_x, i == 6, f.band_y, i == 7, f.staged_columns,
                         i == 8, f.staged_rows, i == 9, f.staged_channels, i == 10, f.staged_plane_rows,
                         i == 11, f.lanes_groups, i == 12, f.lanes_columns, i == 13, f.lanes_rows,
                         i == 14, f.flat_columns, i == 15, f.plane_elements, i == 16, f.segment_columns,
                         i == 17, f.plane_tile, i == 18, f.masked_columns, f.row_tile_widths);
        info.dim(0).set_bounds(0, 20);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::KernelInfo, kernel_info)
