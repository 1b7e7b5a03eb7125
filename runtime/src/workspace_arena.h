// One run's scratch buffers carved out of a single workspace block (the
// caller's, or the plan's own), so a run never touches the heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace convkit::detail {

class WorkspaceArena {
public:
    // `max_buffers`: buffers live at once (room for them is reserved here, so
    // allocate() itself never allocates).
    WorkspaceArena(void* block, size_t bytes, size_t max_buffers);

    // First fit at kWorkspaceAlignment; null when no gap is large enough.
    // Zero bytes (Halide's request for a stage it skips) take no room.
    // Thread-safe: parallel tasks allocate concurrently.
    void* allocate(size_t bytes);
    // Frees `p` and sets `requested` to its size; false (nothing done) when
    // `p` does not come from this arena.
    bool release(void* p, size_t& requested);

private:
    struct Buffer {
        size_t begin, end, requested;  // offsets into the block
    };
    std::mutex mutex_;
    uintptr_t base_;  // block start rounded up to the alignment
    size_t bytes_;    // usable bytes from base_
    std::vector<Buffer> live_;  // sorted by begin
};

}  // namespace convkit::detail
