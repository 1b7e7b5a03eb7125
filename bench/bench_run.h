// The benchmark program, shared by convkit_bench and `convkit bench`.
#pragma once

#include "bench_args.h"

#include <string>

namespace convkit_bench {

// Runs the benchmark on argv[first..argc); `program` names it in messages.
// Returns the exit code: 0, 1 on errors, 2 on bad usage.
int bench_main(int argc, char** argv, int first, const std::string& program);

// The benchmark with parsed arguments; throws UsageError or std::exception.
int run_bench(const Args& args, const std::string& program);

}  // namespace convkit_bench
