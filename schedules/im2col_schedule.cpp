#include "im2col_schedule.h"

namespace convkit_gen {

Im2colSchedule im2col_schedule_from(const std::string& name) {
    if (name == "classic") return Im2colSchedule::Classic;
    if (name == "tiled") return Im2colSchedule::Tiled;
    throw std::invalid_argument("unknown im2col schedule '" + name + "'");
}

void schedule_patches(Im2colSchedule s, Func patches, Func output, const TileVars& t,
                      const ConvVars& v, const Expr& threads) {
    if (s == Im2colSchedule::Tiled) {
        // Rebuilt for each (channel block, row tile): bounded memory, one
        // buffer per thread, allocated once per task.
        patches.compute_at(output, t.within).hoist_storage(output, t.task);
        return;
    }
    // Rows in `threads` parallel chunks; the buffer is the whole matrix.
    Var rows("rows"), row("row");
    Expr height = output.output_buffer().dim(1).extent();
    Expr workers = max(1, threads);
    patches.compute_root().split(v.y, rows, row, max(1, (height + workers - 1) / workers),
                                 TailStrategy::GuardWithIf).parallel(rows);
}

}  // namespace convkit_gen
