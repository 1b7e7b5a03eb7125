#include "subprocess.h"

#include <progress.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace convkit_cli {
namespace {

pid_t spawn(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    int err = posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
    if (err != 0) throw std::runtime_error("cannot start '" + args[0] + "': " + std::strerror(err));
    return pid;
}

int exit_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

}  // namespace

int run_program(const std::vector<std::string>& argv, const std::string& title) {
    const pid_t pid = spawn(argv);
    convkit_bench::Progress progress(title);
    int status = 0;
    for (int tick = 0;; ++tick) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
        // No known length: the bar fills and empties while the program runs.
        progress.update(0.5 - 0.5 * std::cos(tick * 0.1));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return exit_code(status);
}

}  // namespace convkit_cli
