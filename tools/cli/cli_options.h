// Options of one `convkit` subcommand: a declared list, parsed from argv into
// values, and the --help text generated from the same list.
#pragma once

#include <bench_args.h>  // convkit_bench::UsageError

#include <cstddef>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace convkit_cli {

using convkit_bench::UsageError;

struct OptionSpec {
    std::string name;   // "--kernel"
    std::string value;  // the value's placeholder, "" for a flag
    std::string help;
};

struct CommandSpec {
    std::string name;       // "run"
    std::string arguments;  // usage after the options, e.g. "CSV"
    std::string summary;    // one line
    std::vector<OptionSpec> options;
    size_t max_positional = 0;
};

class ParsedOptions {
public:
    bool help = false;
    std::vector<std::string> positional;

    bool has(const std::string& name) const { return values_.count(name) != 0; }
    std::string text(const std::string& name, const std::string& fallback = "") const;
    int integer(const std::string& name, int fallback, int min) const;
    void set(const std::string& name, const std::string& value) { values_[name] = value; }

private:
    std::map<std::string, std::string> values_;
};

// Parses argv[1..argc) (argv[0] is the subcommand); accepts "--opt value" and
// "--opt=value". Throws UsageError on unknown options or missing values.
ParsedOptions parse_options(const CommandSpec& spec, int argc, char** argv);

void print_help(const CommandSpec& spec, std::FILE* out);

// "4096", "64K", "1.5M", "2G" (powers of 1024) or "unlimited" -> bytes.
size_t parse_byte_size(const std::string& option, const std::string& text);

}  // namespace convkit_cli
