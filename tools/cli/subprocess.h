// Runs another program (no shell) and waits for it, showing a progress bar
// with the elapsed time on stderr while it runs (if a terminal, after 1 s).
#pragma once

#include <string>
#include <vector>

namespace convkit_cli {

// Returns the program's exit status (128 + signal if killed). Throws
// std::runtime_error when it cannot be started.
int run_program(const std::vector<std::string>& argv, const std::string& title);

}  // namespace convkit_cli
