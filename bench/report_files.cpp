#include "report_files.h"

#include <sstream>
#include <stdexcept>

namespace convkit_bench {
namespace {

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string json_string(const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') q += '\\';
        if (static_cast<unsigned char>(c) < 0x20) q += ' ';
        else q += c;
    }
    return q + "\"";
}

// A number as the stream writes it, or `absent` when it is 0 in a field
// where 0 means "not available".
std::string optional_number(double v, const char* absent) {
    if (v == 0) return absent;
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string json_optional(double v) { return optional_number(v, "null"); }

std::ofstream open_for_writing(const std::string& path, const char* what) {
    std::ofstream out(path);
    if (!out) throw std::runtime_error(std::string("cannot write ") + what + " file '" + path + "'");
    return out;
}

void write_json_row(std::ostream& out, const Row& r) {
    out << "    {\"layer\": " << json_string(r.layer) << ", \"class\": " << json_string(r.cls)
        << ", \"shape\": " << json_string(r.shape) << ", \"kernel\": " << json_string(r.kernel)
        << ", \"isa\": " << json_string(r.isa) << ", \"threads\": " << r.threads
        << ", \"status\": " << json_string(r.status);
    if (r.ok)
        out << ", \"median_ms\": " << json_optional(r.median_ms)
            << ", \"min_ms\": " << json_optional(r.min_ms)
            << ", \"gflops\": " << json_optional(r.gflops)
            << ", \"pct_peak\": " << json_optional(r.pct_peak)
            << ", \"x_onednn\": " << json_optional(r.x_onednn)
            << ", \"workspace_bytes\": " << r.workspace_bytes << ", \"peak_bytes\": "
            << (r.peak_measured ? std::to_string(r.peak_bytes) : "null")
            << ", \"workspace_vs_im2col\": " << r.vs_im2col;
    out << "}";
}

void write_json_peaks(std::ostream& out, const std::vector<FmaPeak>& peaks) {
    out << "  \"fma_peak\": [";
    for (size_t i = 0; i < peaks.size(); ++i)
        out << (i ? ", " : "") << "{\"threads\": " << peaks[i].threads
            << ", \"isa\": " << json_string(peaks[i].isa) << ", \"gflops\": " << peaks[i].gflops
            << "}";
    out << "],\n";
}

}  // namespace

const std::vector<std::string>& csv_columns() {
    static const std::vector<std::string> columns = {
        "layer", "class", "shape", "kernel", "isa", "threads", "median_ms", "min_ms", "gflops",
        "pct_peak", "x_onednn", "workspace_bytes", "peak_bytes", "workspace_vs_im2col",
        "allocations", "iters_per_sample", "status"};
    return columns;
}

CsvWriter::CsvWriter(const std::string& path) {
    if (path.empty()) return;
    out_ = open_for_writing(path, "CSV");
    for (size_t i = 0; i < csv_columns().size(); ++i) out_ << (i ? "," : "") << csv_columns()[i];
    out_ << '\n';
}

void CsvWriter::write(const Row& r) {
    if (!out_.is_open()) return;
    auto optional = [](double v) { return optional_number(v, ""); };
    out_ << csv_field(r.layer) << ',' << csv_field(r.cls) << ',' << csv_field(r.shape) << ','
         << csv_field(r.kernel) << ',' << csv_field(r.isa) << ',' << r.threads << ',';
    if (r.ok)
        out_ << optional(r.median_ms) << ',' << optional(r.min_ms) << ',' << optional(r.gflops)
             << ',' << optional(r.pct_peak) << ',' << optional(r.x_onednn) << ','
             << r.workspace_bytes << ',' << (r.peak_measured ? std::to_string(r.peak_bytes) : "")
             << ',' << r.vs_im2col << ',' << (r.peak_measured ? std::to_string(r.allocations) : "")
             << ',' << (r.iters ? std::to_string(r.iters) : "");
    else
        out_ << ",,,,,,,,,";
    out_ << ',' << csv_field(r.status) << '\n';
    out_.flush();
}

JsonWriter::JsonWriter(const std::string& path) : path_(path) {
    if (!path_.empty()) open_for_writing(path_, "JSON");  // fail early on a bad path
}

void JsonWriter::add(const Row& r) {
    if (!path_.empty()) rows_.push_back(r);
}

void JsonWriter::finish(const RunInfo& info) {
    if (path_.empty()) return;
    std::ofstream out = open_for_writing(path_, "JSON");
    out << "{\n  \"program\": " << json_string(info.program) << ",\n  \"cpu\": "
        << json_string(info.cpu) << ",\n  \"suite\": " << json_string(info.suite)
        << ",\n  \"threads\": " << info.threads << ",\n  \"peer\": " << json_string(info.peer)
        << ",\n";
    write_json_peaks(out, info.peaks);
    out << "  \"rows\": [\n";
    for (size_t i = 0; i < rows_.size(); ++i) {
        write_json_row(out, rows_[i]);
        out << (i + 1 < rows_.size() ? ",\n" : "\n");
    }
    out << "  ]\n}\n";
}

}  // namespace convkit_bench
