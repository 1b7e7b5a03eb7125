// The `convkit` subcommands. Each takes argv with argv[0] = its name, returns
// the exit code, and throws UsageError (exit 2) on bad usage.
#pragma once

namespace convkit_cli {

int list_command(int argc, char** argv);
int bench_command(int argc, char** argv);
int run_command(int argc, char** argv);
int plot_command(int argc, char** argv);
int explain_command(int argc, char** argv);

}  // namespace convkit_cli
