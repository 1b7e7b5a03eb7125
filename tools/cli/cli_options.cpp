#include "cli_options.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace convkit_cli {
namespace {

const OptionSpec* find_option(const CommandSpec& spec, const std::string& name) {
    for (const OptionSpec& o : spec.options)
        if (o.name == name) return &o;
    return nullptr;
}

const OptionSpec& known_option(const CommandSpec& spec, const std::string& name) {
    const OptionSpec* o = find_option(spec, name);
    if (!o) throw UsageError("unknown option '" + name + "'");
    return *o;
}

void add_positional(ParsedOptions& parsed, const CommandSpec& spec, const std::string& arg) {
    if (parsed.positional.size() >= spec.max_positional)
        throw UsageError("unexpected argument '" + arg + "'");
    parsed.positional.push_back(arg);
}

}  // namespace

std::string ParsedOptions::text(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

int ParsedOptions::integer(const std::string& name, int fallback, int min) const {
    return has(name) ? convkit_bench::parse_int(name, text(name), min) : fallback;
}

ParsedOptions parse_options(const CommandSpec& spec, int argc, char** argv) {
    ParsedOptions parsed;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            parsed.help = true;
        } else if (arg.rfind("--", 0) != 0) {
            add_positional(parsed, spec, arg);
        } else if (size_t eq = arg.find('='); eq != std::string::npos) {
            const OptionSpec& o = known_option(spec, arg.substr(0, eq));
            if (o.value.empty()) throw UsageError("option '" + o.name + "' takes no value");
            parsed.set(o.name, arg.substr(eq + 1));
        } else {
            const OptionSpec& o = known_option(spec, arg);
            if (o.value.empty()) {
                parsed.set(o.name, "1");
                continue;
            }
            if (i + 1 >= argc) throw UsageError("option '" + arg + "' needs a value (" + o.value + ")");
            parsed.set(o.name, argv[++i]);
        }
    }
    return parsed;
}

void print_help(const CommandSpec& spec, std::FILE* out) {
    std::fprintf(out, "usage: convkit %s%s%s\n%s\n", spec.name.c_str(),
                 spec.options.empty() ? "" : " [options]",
                 spec.arguments.empty() ? "" : (" " + spec.arguments).c_str(),
                 spec.summary.c_str());
    if (spec.options.empty()) return;
    std::fprintf(out, "options:\n");
    for (const OptionSpec& o : spec.options) {
        std::string left = o.name + (o.value.empty() ? "" : " " + o.value);
        std::fprintf(out, "  %-24s %s\n", left.c_str(), o.help.c_str());
    }
}

size_t parse_byte_size(const std::string& option, const std::string& text) {
    if (text == "unlimited") return std::numeric_limits<size_t>::max();
    const std::string units = "KMG";
    size_t used = 0;
    double value = -1;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
    }
    const std::string suffix = used < text.size() ? text.substr(used) : "";
    const size_t unit = suffix.empty() ? std::string::npos : units.find(suffix);
    const bool ok = value >= 0 && std::isfinite(value) && (suffix.empty() || (suffix.size() == 1 && unit != std::string::npos));
    if (!ok)
        throw UsageError(option + "='" + text +
                         "' must be a byte count such as 4096, 64K, 1.5M, 2G or 'unlimited'");
    const double scale = suffix.empty() ? 1 : std::pow(1024.0, double(unit + 1));
    return static_cast<size_t>(value * scale);
}

}  // namespace convkit_cli
