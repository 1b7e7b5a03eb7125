#include "workspace_arena.h"

#include "workspace.h"

namespace convkit::detail {
namespace {

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

// What a zero-byte request gets: a valid, never dereferenced address.
alignas(kWorkspaceAlignment) unsigned char empty_buffer[kWorkspaceAlignment];

}  // namespace

WorkspaceArena::WorkspaceArena(void* block, size_t bytes, size_t max_buffers) {
    const auto start = reinterpret_cast<uintptr_t>(block);
    base_ = round_up(start, kWorkspaceAlignment);
    const size_t gap = base_ - start;
    bytes_ = bytes > gap ? bytes - gap : 0;
    live_.reserve(max_buffers);
}

void* WorkspaceArena::allocate(size_t bytes) {
    if (bytes == 0) return empty_buffer;
    const size_t size = round_up(bytes, kWorkspaceAlignment);
    std::lock_guard<std::mutex> lock(mutex_);
    if (live_.size() == live_.capacity()) return nullptr;  // more buffers than the formula says
    size_t at = 0;
    auto next = live_.begin();
    for (; next != live_.end() && next->begin - at < size; ++next) at = next->end;
    if (at + size > bytes_) return nullptr;
    live_.insert(next, Buffer{at, at + size, bytes});
    return reinterpret_cast<void*>(base_ + at);
}

bool WorkspaceArena::release(void* p, size_t& requested) {
    requested = 0;
    if (p == empty_buffer) return true;
    const auto at = reinterpret_cast<uintptr_t>(p) - base_;
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = live_.begin(); it != live_.end(); ++it) {
        if (it->begin != at) continue;
        requested = it->requested;
        live_.erase(it);
        return true;
    }
    return false;
}

}  // namespace convkit::detail
