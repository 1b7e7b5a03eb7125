#include "timings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

namespace convkit::detail {
namespace {

// The built-in table: runtime/data/timings.csv as kBuiltinTimings.
#include "timings_builtin.inc"

// The shape fields in CSV column order.
int64_t ConvShape::*const kShapeFields[] = {
    &ConvShape::N,        &ConvShape::C,          &ConvShape::H,          &ConvShape::W,
    &ConvShape::M,        &ConvShape::KH,         &ConvShape::KW,         &ConvShape::stride_h,
    &ConvShape::stride_w, &ConvShape::pad_top,    &ConvShape::pad_bottom, &ConvShape::pad_left,
    &ConvShape::pad_right, &ConvShape::dilation_h, &ConvShape::dilation_w, &ConvShape::groups};

bool same_shape(const ConvShape& a, const ConvShape& b) {
    for (auto field : kShapeFields) {
        if (a.*field != b.*field) return false;
    }
    return true;
}

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
    return cells;
}

Timing parse_row(const std::vector<std::string>& cells) {
    Timing t;
    t.isa = cells.at(0);
    t.threads = std::stoi(cells.at(1));
    t.kernel = cells.at(2);
    size_t at = 3;
    for (auto field : kShapeFields) t.shape.*field = std::stoll(cells.at(at++));
    t.ms = std::stod(cells.at(at));
    t.shape.validate();
    if (!(t.ms > 0) || t.threads < 1) throw Error("time and threads must be positive");
    return t;
}

// Similarity of two shapes of one class: distance in log FLOPs and in log
// output size (the same FLOPs over a small map run slower).
double distance(const ConvShape& a, const ConvShape& b) {
    const double flops = std::log(a.flops() / b.flops());
    const double pixels = std::log(double(a.out_h() * a.out_w()) / double(b.out_h() * b.out_w()));
    return std::abs(flops) + std::abs(pixels);
}

// The rows of `kernel` the model may use, by preference: same ISA and
// threads, same ISA, any ISA. Relative speeds carry over better than none.
std::vector<const Timing*> model_rows(const std::vector<Timing>& rows, const std::string& kernel,
                                      const std::string& isa, int threads, std::string& scope) {
    const std::pair<bool, bool> scopes[] = {{true, true}, {true, false}, {false, false}};
    const char* names[] = {"", " (other thread counts)", " (other ISAs)"};
    for (int i = 0; i < 3; ++i) {
        std::vector<const Timing*> found;
        for (const Timing& t : rows) {
            if (t.kernel != kernel) continue;
            if (scopes[i].first && t.isa != isa) continue;
            if (scopes[i].second && t.threads != threads) continue;
            found.push_back(&t);
        }
        if (!found.empty()) {
            scope = names[i];
            return found;
        }
    }
    return {};
}

// The median of `values` (not empty); of an even count, the mean of the
// middle two.
double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const size_t half = values.size() / 2;
    return values.size() % 2 ? values[half] : (values[half - 1] + values[half]) / 2;
}

}  // namespace

std::string shape_class(const ConvShape& s) {
    const int64_t per_group = s.C / s.groups;
    const char* kind = per_group == 1 && s.groups > 1 ? "depthwise" : s.groups > 1 ? "grouped" : "dense";
    const int64_t taps = s.KH * s.KW;
    const char* size = taps == 1 ? "1x1" : taps <= 9 ? "3x3" : "large";
    const char* stride = std::max(s.stride_h, s.stride_w) == 1 ? "s1" : "s2+";
    return std::string(kind) + "/" + size + "/" + stride;
}

TimingTable TimingTable::parse(const std::string& text, const std::string& source) {
    TimingTable table;
    std::stringstream in(text);
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.empty() || line[0] == '#' || line.rfind("isa,", 0) == 0) continue;
        try {
            table.rows_.push_back(parse_row(split_csv(line)));
        } catch (const std::exception& e) {
            throw Error(source + ":" + std::to_string(number) + ": not a timing row (" + e.what() +
                        "): " + line);
        }
    }
    return table;
}

TimingTable TimingTable::load(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw Error("timings_file='" + path + "' cannot be read");
    std::stringstream text;
    text << file.rdbuf();
    return parse(text.str(), path);
}

const TimingTable& TimingTable::for_options(const Options& options) {
    static std::mutex mutex;
    static std::map<std::string, TimingTable> cache;
    std::string path = options.timings_file;
    if (path.empty() && std::getenv("CONVKIT_TIMINGS")) path = std::getenv("CONVKIT_TIMINGS");
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(path);
    if (it == cache.end()) {
        it = cache.emplace(path, path.empty() ? parse(kBuiltinTimings, "built-in timings") : load(path))
                 .first;
    }
    return it->second;
}

Prediction TimingTable::predict(const std::string& kernel, const std::string& isa, int threads,
                                const ConvShape& shape) const {
    std::vector<double> measured;
    for (const Timing& t : rows_) {
        if (t.kernel == kernel && t.isa == isa && t.threads == threads && same_shape(t.shape, shape)) {
            measured.push_back(t.ms);
        }
    }
    if (measured.size() == 1) return {measured[0], "table"};
    if (!measured.empty()) {
        return {median(measured), "table (median of " + std::to_string(measured.size()) + " rows)"};
    }
    std::string scope;
    std::vector<const Timing*> rows = model_rows(rows_, kernel, isa, threads, scope);
    if (rows.empty()) return {-1, "no timings for this kernel"};
    const std::string cls = shape_class(shape);
    std::vector<const Timing*> same_class;
    for (const Timing* t : rows) {
        if (shape_class(t->shape) == cls) same_class.push_back(t);
    }
    if (!same_class.empty()) rows.swap(same_class);
    else scope += " (other shape classes)";
    // The GFLOP/s of the (up to) 3 most similar shapes, geometric mean.
    std::sort(rows.begin(), rows.end(), [&](const Timing* a, const Timing* b) {
        return distance(a->shape, shape) < distance(b->shape, shape);
    });
    const size_t used = std::min<size_t>(3, rows.size());
    double log_rate = 0;
    for (size_t i = 0; i < used; ++i) log_rate += std::log(rows[i]->shape.flops() / rows[i]->ms);
    const double rate = std::exp(log_rate / double(used));  // FLOP per ms
    return {shape.flops() / rate, "model: " + std::to_string(used) + " similar shapes" + scope};
}

std::string TimingTable::csv_header() {
    return "isa,threads,kernel,N,C,H,W,M,KH,KW,stride_h,stride_w,pad_top,pad_bottom,pad_left,"
           "pad_right,dilation_h,dilation_w,groups,ms";
}

std::string TimingTable::csv_row(const Timing& t) {
    std::ostringstream os;
    os << t.isa << ',' << t.threads << ',' << t.kernel;
    for (auto field : kShapeFields) os << ',' << t.shape.*field;
    os << ',' << t.ms;
    return os.str();
}

}  // namespace convkit::detail
