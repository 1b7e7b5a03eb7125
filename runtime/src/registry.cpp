#include "registry.h"

#include "kernels_generated.inc"

namespace convkit::detail {
namespace {

struct GeneratedEntry {
    const char* name;
    const char* lowering;
    const char* description;
    KernelFn fn;
};

std::vector<KernelEntry> build_registry() {
    static const GeneratedEntry generated[] = {CONVKIT_GENERATED_KERNELS};
    std::vector<KernelEntry> entries;
    for (const GeneratedEntry& g : generated) {
        entries.push_back({KernelInfo{g.name, g.lowering, CONVKIT_ISA, g.description}, g.fn});
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
