#include "registry.h"

#include <algorithm>

#include "cpu.h"
#include "workspace.h"

#include "kernels_generated.inc"

namespace convkit::detail {
namespace {

using InfoFn = int (*)(halide_buffer_t* info);

struct GeneratedEntry {
    const char* name;
    const char* lowering;
    const char* isa;
    const char* description;
    KernelFn fn;
    InfoFn info;
};

ScheduleFacts read_facts(const GeneratedEntry& g) {
    int32_t values[20] = {};
    halide_dimension_t dim(0, 20, 1);
    halide_buffer_t buf = {};
    buf.host = reinterpret_cast<uint8_t*>(values);
    buf.type = halide_type_t(halide_type_int, 32);
    buf.dimensions = 1;
    buf.dim = &dim;
    if (g.info(&buf) != 0) throw Error(std::string("kernel '") + g.name + "': info query failed");
    return ScheduleFacts{values[0], values[1], values[2], values[3] != 0, values[4],
                         values[5], values[6], values[7], values[8], values[9], values[10],
                         values[11], values[12], values[13], values[14], values[15], values[16], values[17],
                         values[18], values[19]};
}

std::vector<KernelEntry> build_registry() {
    static const GeneratedEntry generated[] = {CONVKIT_GENERATED_KERNELS};
    std::vector<KernelEntry> entries;
    for (const GeneratedEntry& g : generated) {
        entries.push_back(
            {KernelInfo{g.name, g.lowering, g.isa, g.description, workspace_formula_text(g.name)}, g.fn,
             read_facts(g)});
    }
    return entries;
}

}  // namespace

const std::vector<KernelEntry>& registry() {
    static const std::vector<KernelEntry> entries = build_registry();
    return entries;
}

std::string join_names(const std::vector<std::string>& names) {
    std::string joined;
    for (const std::string& n : names) joined += (joined.empty() ? "" : ", ") + n;
    return joined;
}

const KernelEntry& find_kernel(const std::string& name, const std::string& isa) {
    std::vector<std::string> names, isas;
    const KernelEntry* best = nullptr;
    for (const KernelEntry& e : registry()) {
        if (std::find(names.begin(), names.end(), e.info.name) == names.end()) names.push_back(e.info.name);
        if (e.info.name != name) continue;
        isas.push_back(e.info.isa);
        if (isa == "auto") {
            if (cpu_supports(e.info.isa) && (!best || isa_rank(e.info.isa) > isa_rank(best->info.isa))) best = &e;
        } else if (e.info.isa == isa) {
            if (!cpu_supports(isa)) throw Error("isa='" + isa + "' is not supported by this CPU");
            return e;
        }
    }
    if (isas.empty()) {
        throw Error("kernel='" + name + "' is not compiled in (available: auto, " + join_names(names) + ")");
    }
    if (!best) {
        throw Error("isa='" + isa + "' is not compiled in for kernel '" + name + "' (available: auto, " +
                    join_names(isas) + ")");
    }
    return *best;
}

}  // namespace convkit::detail

namespace convkit {

std::vector<KernelInfo> kernels() {
    std::vector<KernelInfo> infos;
    for (const detail::KernelEntry& e : detail::registry()) infos.push_back(e.info);
    return infos;
}

std::vector<std::string> supported_isas() {
    std::vector<std::string> isas;
    for (const detail::KernelEntry& e : detail::registry()) {
        const std::string& isa = e.info.isa;
        if (detail::cpu_supports(isa) && std::find(isas.begin(), isas.end(), isa) == isas.end()) {
            isas.push_back(isa);
        }
    }
    std::sort(isas.begin(), isas.end(), [](const std::string& a, const std::string& b) {
        return detail::isa_rank(a) > detail::isa_rank(b);
    });
    return isas;
}

}  // namespace convkit
