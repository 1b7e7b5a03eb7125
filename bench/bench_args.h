// Command-line arguments of the benchmark (convkit_bench and `convkit bench`).
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace convkit_bench {

// Bad command-line usage: the program prints the message and exits with 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Args {
    std::string suite;  // default: the suite compiled in (layers/public.csv)
    std::string kernels = "all";
    std::vector<std::string> budgets;  // each adds the kernel spec "auto@<budget>"
    std::string isas = "auto";
    std::string peers = "all";  // oneDNN variants: names, "all" or "none"
    int threads = 1;
    int reps = 15;
    double min_time_ms = 50;
    double max_time_ms = 1000;
    bool memory_only = false;
    std::string csv, json;
    std::string layer_filter;
    bool help = false;
};

// The suite used when --suite is not given.
const char* default_suite();

// Parses argv[first..argc); throws UsageError.
Args parse_args(int argc, char** argv, int first = 1);
void print_usage(std::FILE* out, const std::string& program);

// "--opt" values: an integer >= min, or a finite number >= 0; throw UsageError
// naming the option and the text.
int parse_int(const std::string& opt, const std::string& text, int min);
double parse_nonnegative(const std::string& opt, const std::string& text);

// "a,b,,c" -> {"a", "b", "c"}
std::vector<std::string> split_list(const std::string& s);

}  // namespace convkit_bench
