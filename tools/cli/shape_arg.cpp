#include "shape_arg.h"

#include "cli_options.h"

#include <layer_suite.h>

#include <charconv>
#include <vector>

namespace convkit_cli {
namespace {

constexpr const char* kListForm = "N,C,H,W,M,K[,stride,pad,dilation,groups]";

std::vector<int64_t> parse_integers(const std::string& option, const std::string& text) {
    std::vector<int64_t> values;
    size_t begin = 0;
    while (begin <= text.size()) {
        size_t end = std::min(text.find(',', begin), text.size());
        int64_t v = 0;
        auto [p, ec] = std::from_chars(text.data() + begin, text.data() + end, v);
        if (ec != std::errc() || p != text.data() + end || end == begin)
            throw UsageError(option + " '" + text + "': '" + text.substr(begin, end - begin) +
                             "' is not an integer (form: " + kListForm + ")");
        values.push_back(v);
        begin = end + 1;
    }
    return values;
}

convkit::ConvShape shape_from_list(const std::string& option, const std::string& text) {
    std::vector<int64_t> v = parse_integers(option, text);
    if (v.size() < 6 || v.size() > 10)
        throw UsageError(option + " '" + text + "': expected " + kListForm + " (6 to 10 integers), got " +
                         std::to_string(v.size()));
    const std::vector<int64_t> defaults = {1, 0, 1, 1};  // stride, pad, dilation, groups
    for (size_t i = v.size(); i < 10; ++i) v.push_back(defaults[i - 6]);
    return convkit::make_shape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
}

}  // namespace

convkit::ConvShape parse_shape_arg(const std::string& option, const std::string& text) {
    try {
        convkit::ConvShape shape = text.find(',') != std::string::npos
                                       ? shape_from_list(option, text)
                                       : convkit_bench::parse_benchdnn_desc(text, option).shape;
        shape.validate();
        return shape;
    } catch (const UsageError&) {
        throw;
    } catch (const std::exception& e) {  // the descriptor parser and validate()
        throw UsageError(option + " '" + text + "': " + e.what());
    }
}

}  // namespace convkit_cli
