#include "kernel_facts.h"

#include "direct_schedule.h"
#include "gemm_schedule.h"

namespace convkit_gen {

KernelFacts kernel_facts(const std::string& lowering, const std::string& schedule,
                         const TargetFacts& target) {
    if (lowering == "direct") {
        const DirectSchedule direct = direct_schedule_for(schedule, target);
        const OutputTiling& t = direct.interior;
        return KernelFacts{t.block,           t.tile_x,          t.tile_y, true, direct.strip.tile_y,
                           direct.band.tile_x, direct.band.tile_y};
    }
    // The GEMM-based lowerings handle padding while lowering.
    const OutputTiling t = channel_tiling(target);
    return KernelFacts{t.block, t.tile_x, t.tile_y, false, 0, t.tile_x, t.tile_y};
}

}  // namespace convkit_gen
