// A progress bar on stderr, shown only when stderr is a terminal and only once
// the work has lasted more than a second; cleared when done.
#pragma once

#include <chrono>
#include <string>

namespace convkit_bench {

bool stderr_is_tty();

class Progress {
public:
    explicit Progress(std::string title);
    ~Progress();  // clears the bar
    // fraction in [0, 1]; label: what runs now (e.g. a layer's name).
    void update(double fraction, const std::string& label = "");
    void clear();

private:
    std::string title_;
    std::chrono::steady_clock::time_point start_;
    bool enabled_, shown_ = false;
};

}  // namespace convkit_bench
