#include "registry.h"

#include "kernels_generated.inc"

namespace convkit::detail {
namespace {

using InfoFn = int (*)(halide_buffer_t* info);

struct GeneratedEntry {
    const char* name;
    const char* lowering;
    const char* description;
    KernelFn fn;
    InfoFn info;
};

ScheduleFacts read_facts(const GeneratedEntry& g) {
    int32_t values[3] = {};
    halide_dimension_t dim(0, 3, 1);
    halide_buffer_t buf = {};
    buf.host = reinterpret_cast<uint8_t*>(values);
    buf.type = halide_type_t(halide_type_int, 32);
    buf.dimensions = 1;
    buf.dim = &dim;
    if (g.info(&buf) != 0) throw Error(std::string("kernel '") + g.name + "': info query failed");
    return ScheduleFacts{values[0], values[1], values[2]};
}

std::vector<KernelEntry> build_registry() {
    static const GeneratedEntry generated[] = {CONVKIT_GENERATED_KERNELS};
    std::vector<KernelEntry> entries;
    for (const GeneratedEntry& g : generated) {
        entries.push_back(
            {KernelInfo{g.name, g.lowering, CONVKIT_ISA, g.description}, g.fn, read_facts(g)});
    }
    return entries;
}

}  // namespace

const std::vector<KernelEntry>& registry() {
    static const std::vector<KernelEntry> entries = build_registry();
    return entries;
}

const KernelEntry& find_kernel(const std::string& name) {
    std::string available;
    for (const KernelEntry& e : registry()) {
        if (e.info.name == name) return e;
        available += (available.empty() ? "" : ", ") + e.info.name;
    }
    throw Error("kernel='" + name + "' is not compiled in (available: auto, " + available + ")");
}

}  // namespace convkit::detail

namespace convkit {

std::vector<KernelInfo> kernels() {
    std::vector<KernelInfo> infos;
    for (const detail::KernelEntry& e : detail::registry()) infos.push_back(e.info);
    return infos;
}

}  // namespace convkit
