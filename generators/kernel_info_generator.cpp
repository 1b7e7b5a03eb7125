// Publishes facts of a kernel's schedule to the runtime, as a tiny pipeline
// compiled for the same target as the kernel: info = {block, tile_x, tile_y}.
// The runtime packs weights in blocks of `block` output channels and splits
// each run into padding-free interior and border regions on tile boundaries.
#include "conv_common.h"
#include "direct_schedule.h"

namespace convkit_gen {
namespace {

class KernelInfo : public Generator<KernelInfo> {
public:
    GeneratorParam<std::string> lowering{"lowering", "direct"};
    GeneratorParam<std::string> schedule_name{"schedule", "channels"};
    Output<Buffer<int32_t, 1>> info{"info"};

    void generate() {
        if (std::string(lowering) != "direct") {
            throw std::invalid_argument("kernel_info: unknown lowering '" + std::string(lowering) + "'");
        }
        const DirectSchedule s = direct_schedule_for(schedule_name, target_facts(get_target()));
        Var i("i");
        info(i) = select(i == 0, s.block, i == 1, s.tile_x, s.tile_y);
        info.dim(0).set_bounds(0, 3);
    }
};

}  // namespace
}  // namespace convkit_gen

HALIDE_REGISTER_GENERATOR(convkit_gen::KernelInfo, kernel_info)
