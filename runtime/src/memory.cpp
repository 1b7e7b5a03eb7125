// A counting allocator installed as Halide's malloc hook. Every scratch
// allocation a kernel makes on the heap passes through here, so the peak of
// one run can be compared with the kernel's documented extra-memory formula.
#include "memory.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "HalideRuntime.h"
#include "convkit/convkit.h"
#include "run_context.h"

namespace convkit::detail {
namespace {

// Halide wants 64-byte (x86) alignment; a header of the same size keeps the
// returned pointer aligned and remembers the requested size for free().
constexpr size_t kAlign = 128;

std::atomic<size_t> live_bytes{0};
std::atomic<size_t> peak_bytes{0};
std::atomic<size_t> allocation_count{0};
std::atomic<size_t> heap_allocation_count{0};

void raise_peak(size_t live) {
    size_t peak = peak_bytes.load();
    while (live > peak && !peak_bytes.compare_exchange_weak(peak, live)) {
    }
}

void count_allocation(size_t size) {
    // Halide asks for zero bytes for a stage it skips: not an allocation.
    if (size > 0) allocation_count.fetch_add(1);
    raise_peak(live_bytes.fetch_add(size) + size);
}

void* heap_allocate(size_t size) {
    const size_t total = kAlign + (size + kAlign - 1) / kAlign * kAlign;
    auto* base = static_cast<unsigned char*>(std::aligned_alloc(kAlign, total));
    if (!base) return nullptr;
    *reinterpret_cast<size_t*>(base) = size;
    if (size > 0) heap_allocation_count.fetch_add(1);
    return base + kAlign;
}

WorkspaceArena* arena_of(void* user_context) {
    return user_context ? static_cast<RunContext*>(user_context)->arena : nullptr;
}

void* counting_malloc(void* user_context, size_t size) {
    WorkspaceArena* arena = arena_of(user_context);
    void* p = arena ? arena->allocate(size) : heap_allocate(size);
    if (!p && arena) {
        static_cast<RunContext*>(user_context)->record_error(
            "a scratch buffer does not fit the workspace (convkit bug: the extra-memory "
            "formula is too small)");
    }
    if (p) count_allocation(size);
    return p;
}

void counting_free(void* user_context, void* ptr) {
    if (!ptr) return;
    WorkspaceArena* arena = arena_of(user_context);
    size_t size = 0;
    if (arena && arena->release(ptr, size)) {
        live_bytes.fetch_sub(size);
        return;
    }
    unsigned char* base = static_cast<unsigned char*>(ptr) - kAlign;
    live_bytes.fetch_sub(*reinterpret_cast<size_t*>(base));
    std::free(base);
}

}  // namespace

void install_memory_hook() {
    static std::once_flag once;
    std::call_once(once, [] {
        halide_set_custom_malloc(counting_malloc);
        halide_set_custom_free(counting_free);
    });
}

}  // namespace convkit::detail

namespace convkit {

MemoryProbe::MemoryProbe() {
    detail::install_memory_hook();
    start_live_ = detail::live_bytes.load();
    detail::peak_bytes.store(start_live_);
    start_count_ = detail::allocation_count.load();
    start_heap_count_ = detail::heap_allocation_count.load();
}

size_t MemoryProbe::peak_bytes() const { return detail::peak_bytes.load() - start_live_; }

size_t MemoryProbe::allocations() const { return detail::allocation_count.load() - start_count_; }

size_t MemoryProbe::heap_allocations() const {
    return detail::heap_allocation_count.load() - start_heap_count_;
}

}  // namespace convkit
