// What one run() hands its kernel calls as Halide's user_context: where
// scratch buffers come from and where a kernel error message goes. Parallel
// tasks of the run see the same context; concurrent runs each have their own.
#pragma once

#include <mutex>
#include <string>

#include "workspace_arena.h"

namespace convkit::detail {

struct RunContext {
    WorkspaceArena* arena = nullptr;  // null: scratch comes from the heap

    void record_error(const char* message) {
        std::lock_guard<std::mutex> lock(mutex);
        if (error.empty()) error = message ? message : "unknown Halide error";
    }
    std::string first_error() {
        std::lock_guard<std::mutex> lock(mutex);
        return error;
    }

private:
    std::mutex mutex;
    std::string error;
};

}  // namespace convkit::detail
