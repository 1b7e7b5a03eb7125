#include "layer_suite.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace convkit_bench {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw std::runtime_error(where + ": " + what);
}

std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    size_t b = s.find_first_not_of(ws);
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_skippable(const std::string& line) {
    std::string t = trim(line);
    return t.empty() || t[0] == '#';
}

std::optional<int64_t> to_int(const std::string& text) {
    int64_t v = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || p != end) return std::nullopt;
    return v;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream ss(s);
    while (std::getline(ss, field, sep)) out.push_back(trim(field));
    if (!s.empty() && s.back() == sep) out.push_back("");
    return out;
}

// Validates the finished shape, reporting errors at `where`.
void check_shape(const Layer& layer, const std::string& where) {
    try {
        layer.shape.validate();
    } catch (const std::exception& e) {
        fail(where, "layer '" + layer.name + "': " + e.what());
    }
}

// ---------------------------------------------------------------- CSV

const std::array<const char*, 13> kCsvColumns = {
    "name", "N", "C", "H", "W", "M", "KH", "KW",
    "stride", "pad", "dilation", "groups", "class"};

using ColumnIndex = std::map<std::string, size_t>;

ColumnIndex parse_csv_header(const std::string& line, const std::string& where) {
    std::vector<std::string> names = split(line, ',');
    ColumnIndex index;
    for (size_t i = 0; i < names.size(); ++i) index[names[i]] = i;
    for (const char* col : kCsvColumns)
        if (!index.count(col)) fail(where, std::string("header lacks column '") + col + "'");
    return index;
}

struct CsvRow {
    const std::vector<std::string>& fields;
    const ColumnIndex& index;
    const std::string& where;

    const std::string& text(const char* col) const { return fields[index.at(col)]; }
    int64_t num(const char* col) const {
        auto v = to_int(text(col));
        if (!v) fail(where, std::string("field ") + col + "='" + text(col) + "' is not an integer");
        return *v;
    }
};

Layer layer_from_csv(const CsvRow& row) {
    Layer l;
    l.name = row.text("name");
    l.cls = row.text("class");
    if (l.name.empty()) fail(row.where, "field name is empty");
    convkit::ConvShape& s = l.shape;
    s.N = row.num("N"), s.C = row.num("C"), s.H = row.num("H"), s.W = row.num("W");
    s.M = row.num("M"), s.KH = row.num("KH"), s.KW = row.num("KW");
    s.stride_h = s.stride_w = row.num("stride");
    s.pad_top = s.pad_bottom = s.pad_left = s.pad_right = row.num("pad");
    s.dilation_h = s.dilation_w = row.num("dilation");
    s.groups = row.num("groups");
    return l;
}

// ---------------------------------------------------------------- benchdnn

const char* const kBenchdnnKeys[] = {"mb", "g",  "ic", "ih", "iw", "oc", "oh", "ow",
                                     "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw"};

using KeyValues = std::map<std::string, int64_t>;

// Splits "mb1ic64...n"name"" into key/value pairs and the name.
KeyValues tokenize_desc(const std::string& desc, std::string& name, const std::string& where) {
    KeyValues kv;
    size_t i = 0;
    while (i < desc.size()) {
        if (desc[i] == '_') { ++i; continue; }
        if (desc[i] == 'n') {  // the name runs to the end; no key starts with 'n'
            name = desc.substr(i + 1);
            if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
                name = name.substr(1, name.size() - 2);
            break;
        }
        size_t key_end = i;
        while (key_end < desc.size() && std::isalpha(static_cast<unsigned char>(desc[key_end])))
            ++key_end;
        std::string key = desc.substr(i, key_end - i);
        size_t num_end = key_end;
        while (num_end < desc.size() && std::isdigit(static_cast<unsigned char>(desc[num_end])))
            ++num_end;
        auto value = to_int(desc.substr(key_end, num_end - key_end));
        bool known = std::find(std::begin(kBenchdnnKeys), std::end(kBenchdnnKeys), key) !=
                     std::end(kBenchdnnKeys);
        if (!known) fail(where, "unknown or unsupported key '" + key + "'");
        if (!value) fail(where, "key '" + key + "' has no integer value");
        if (kv.count(key)) fail(where, "key '" + key + "' given twice");
        kv[key] = *value;
        i = num_end;
    }
    return kv;
}

struct Axis {
    int64_t in = 1, out = 1, k = 1, stride = 1, pad_lo = 0, pad_hi = 0, dilation = 1;
};

std::optional<int64_t> get(const KeyValues& kv, const std::string& key) {
    auto it = kv.find(key);
    if (it == kv.end()) return std::nullopt;
    return it->second;
}

// Resolves one spatial axis the way benchdnn does: i and k are required, o is
// derived when absent, p is derived from o when absent (else 0). When o needs
// less padding at the end than at the start, the end pad shrinks (benchdnn's
// implicit right padding).
Axis resolve_axis(const KeyValues& kv, char axis, const std::string& where) {
    std::string a(1, axis);
    auto key = [&](const char* base) { return get(kv, base + a); };
    auto in = key("i"), k = key("k"), out = key("o"), pad = key("p");
    if (!in) fail(where, "missing i" + a);
    if (!k) fail(where, "missing k" + a);
    Axis r;
    r.in = *in, r.k = *k;
    r.stride = key("s").value_or(1);
    r.dilation = key("d").value_or(0) + 1;
    if (r.stride < 1) fail(where, "s" + a + "=" + std::to_string(r.stride) + " must be >= 1");
    int64_t ext = (r.k - 1) * r.dilation + 1;  // effective kernel extent
    r.pad_lo = r.pad_hi = pad ? *pad : (out ? ((*out - 1) * r.stride - r.in + ext) / 2 : 0);
    int64_t span = r.in + 2 * r.pad_lo - ext;
    int64_t sym_out = span < 0 ? 0 : span / r.stride + 1;
    r.out = out.value_or(sym_out);
    if (r.out != sym_out) r.pad_hi = (r.out - 1) * r.stride + ext - r.in - r.pad_lo;
    if (r.pad_hi < 0 || r.out < 1)
        fail(where, "o" + a + "=" + std::to_string(r.out) + " is inconsistent with i" + a + "=" +
                        std::to_string(r.in) + " k" + a + "=" + std::to_string(r.k) + " s" + a +
                        "=" + std::to_string(r.stride) + " p" + a + "=" +
                        std::to_string(r.pad_lo));
    return r;
}

bool has_axis(const KeyValues& kv, char axis) {
    for (const char* base : {"i", "o", "k", "s", "p", "d"})
        if (kv.count(std::string(base) + axis)) return true;
    return false;
}

// Returns the option's value if `line` is "--name=value".
std::optional<std::string> option_value(const std::string& line, const std::string& name) {
    std::string prefix = "--" + name + "=";
    if (!starts_with(line, prefix)) return std::nullopt;
    return line.substr(prefix.size());
}

std::string directory_of(const std::string& path) {
    size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

// Splits on blanks, keeping blanks inside double quotes.
std::vector<std::string> split_words(const std::string& line) {
    std::vector<std::string> words;
    std::string word;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
            if (!word.empty()) words.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) words.push_back(word);
    return words;
}

std::vector<Layer> parse_benchdnn_lines(std::istream& in, const std::string& source,
                                        int64_t& mb_override, int depth);

std::vector<Layer> load_benchdnn_file(const std::string& path, int64_t& mb_override, int depth,
                                      const std::string& where) {
    if (depth > 16) fail(where, "--batch nesting too deep");
    std::ifstream file(path);
    if (!file) fail(where, "cannot open '" + path + "'");
    return parse_benchdnn_lines(file, path, mb_override, depth);
}

// Handles one "--option" line; appends included layers to `out`.
void apply_benchdnn_option(const std::string& line, const std::string& source,
                           const std::string& where, int64_t& mb_override, int depth,
                           std::vector<Layer>& out) {
    if (auto mb = option_value(line, "mb")) {
        auto v = to_int(*mb);
        if (!v || *v < 0) fail(where, "--mb='" + *mb + "' is not a non-negative integer");
        mb_override = *v;
    } else if (auto file = option_value(line, "batch")) {
        std::string path = (*file)[0] == '/' ? *file : directory_of(source) + *file;
        for (Layer& l : load_benchdnn_file(path, mb_override, depth + 1, where))
            out.push_back(std::move(l));
    }  // other benchdnn options (--dir, --cfg, ...) do not apply here
}

std::vector<Layer> parse_benchdnn_lines(std::istream& in, const std::string& source,
                                        int64_t& mb_override, int depth) {
    std::vector<Layer> layers;
    std::string line;
    for (int lineno = 1; std::getline(in, line); ++lineno) {
        std::string where = source + ":" + std::to_string(lineno);
        for (const std::string& word : split_words(line.substr(0, line.find('#')))) {
            if (starts_with(word, "--"))
                apply_benchdnn_option(word, source, where, mb_override, depth, layers);
            else
                layers.push_back(parse_benchdnn_desc(word, where, mb_override));
        }
    }
    return layers;
}

std::string read_first_content_line(const std::string& path) {
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line))
        if (!is_skippable(line)) return trim(line);
    return "";
}

}  // namespace

// ---------------------------------------------------------------- public

std::vector<Layer> parse_csv_suite(std::istream& in, const std::string& source) {
    std::vector<Layer> layers;
    std::optional<ColumnIndex> index;
    std::string line;
    for (int lineno = 1; std::getline(in, line); ++lineno) {
        if (is_skippable(line)) continue;
        std::string where = source + ":" + std::to_string(lineno);
        if (!index) {
            index = parse_csv_header(line, where);
            continue;
        }
        std::vector<std::string> fields = split(line, ',');
        if (fields.size() != index->size())
            fail(where, "expected " + std::to_string(index->size()) + " fields, got " +
                            std::to_string(fields.size()));
        layers.push_back(layer_from_csv(CsvRow{fields, *index, where}));
        check_shape(layers.back(), where);
    }
    return layers;
}

Layer parse_benchdnn_desc(const std::string& desc, const std::string& where_line,
                          int64_t mb_override) {
    std::string where = where_line + ": '" + desc + "'";
    Layer l;
    KeyValues kv = tokenize_desc(desc, l.name, where);
    // benchdnn: a 2-D problem without w keys is square; one with only w keys is 1-D.
    bool has_h = has_axis(kv, 'h'), has_w = has_axis(kv, 'w');
    if (!has_h && !has_w) fail(where, "no spatial keys (ih, kh, ...)");
    Axis h = has_h ? resolve_axis(kv, 'h', where) : Axis{};
    Axis w = has_w ? resolve_axis(kv, 'w', where) : h;
    auto ic = get(kv, "ic"), oc = get(kv, "oc");
    if (!ic) fail(where, "missing ic");
    if (!oc) fail(where, "missing oc");
    convkit::ConvShape& s = l.shape;
    s.N = mb_override > 0 ? mb_override : get(kv, "mb").value_or(1);
    s.C = *ic, s.M = *oc, s.groups = get(kv, "g").value_or(1);
    s.H = h.in, s.KH = h.k, s.stride_h = h.stride, s.dilation_h = h.dilation;
    s.pad_top = h.pad_lo, s.pad_bottom = h.pad_hi;
    s.W = w.in, s.KW = w.k, s.stride_w = w.stride, s.dilation_w = w.dilation;
    s.pad_left = w.pad_lo, s.pad_right = w.pad_hi;
    if (l.name.empty()) l.name = desc;
    l.cls = derive_class(s);
    check_shape(l, where);
    return l;
}

std::vector<Layer> parse_benchdnn_suite(std::istream& in, const std::string& source) {
    int64_t mb_override = 0;
    return parse_benchdnn_lines(in, source, mb_override, 0);
}

std::string derive_class(const convkit::ConvShape& s) {
    std::string stride = s.stride_h > 1 ? "_s" + std::to_string(s.stride_h) : "";
    std::string dil = s.dilation_h > 1 ? "_d" + std::to_string(s.dilation_h) : "";
    if (s.groups > 1 && s.groups == s.C && s.groups == s.M) return "depthwise" + stride + dil;
    if (s.groups > 1) return "grouped";
    if (s.C == 3) return "first_c3";
    return std::to_string(s.KH) + "x" + std::to_string(s.KW) + stride + dil;
}

std::vector<Layer> load_suite(const std::string& path, SuiteFormat format) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error(path + ": cannot open layer suite");
    if (format == SuiteFormat::Auto) {
        bool csv = ends_with(path, ".csv") || starts_with(read_first_content_line(path), "name,");
        format = csv ? SuiteFormat::Csv : SuiteFormat::Benchdnn;
    }
    std::vector<Layer> layers = format == SuiteFormat::Csv ? parse_csv_suite(file, path)
                                                           : parse_benchdnn_suite(file, path);
    if (layers.empty()) throw std::runtime_error(path + ": no layers in suite");
    return layers;
}

}  // namespace convkit_bench
