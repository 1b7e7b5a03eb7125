#include "progress.h"

#include <algorithm>
#include <cstdio>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#define CONVKIT_HAVE_ISATTY 1
#endif

namespace convkit_bench {
namespace {

constexpr double kShowAfterSeconds = 1.0;
constexpr int kBarWidth = 30;

std::string bar(double fraction) {
    const int filled = static_cast<int>(fraction * kBarWidth + 0.5);
    return "[" + std::string(size_t(filled), '#') + std::string(size_t(kBarWidth - filled), '.') +
           "]";
}

}  // namespace

bool stderr_is_tty() {
#ifdef CONVKIT_HAVE_ISATTY
    return isatty(STDERR_FILENO) != 0;
#else
    return false;
#endif
}

Progress::Progress(std::string title)
    : title_(std::move(title)), start_(std::chrono::steady_clock::now()),
      enabled_(stderr_is_tty()) {}

Progress::~Progress() { clear(); }

void Progress::update(double fraction, const std::string& label) {
    if (!enabled_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (elapsed < kShowAfterSeconds) return;
    fraction = std::clamp(fraction, 0.0, 1.0);
    std::fprintf(stderr, "\r%s %s %3d%% %.0fs %s\033[K", title_.c_str(), bar(fraction).c_str(),
                 static_cast<int>(fraction * 100), elapsed, label.c_str());
    std::fflush(stderr);
    shown_ = true;
}

void Progress::clear() {
    if (!shown_) return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
}

}  // namespace convkit_bench
