// Benchmark results as files: CSV (one line per row, written as rows come)
// and JSON (the machine, the FMA peaks and all rows, written at the end).
#pragma once

#include "fma_peak.h"
#include "report.h"

#include <fstream>
#include <string>
#include <vector>

namespace convkit_bench {

// The CSV columns, in order (the plot script and the tests read them by name).
const std::vector<std::string>& csv_columns();

class CsvWriter {
public:
    explicit CsvWriter(const std::string& path);  // empty path: writes nothing
    void write(const Row& r);

private:
    std::ofstream out_;
};

struct RunInfo {
    std::string program, cpu, suite, peer;  // peer: oneDNN's description
    int threads = 1;
    std::vector<FmaPeak> peaks;
};

class JsonWriter {
public:
    explicit JsonWriter(const std::string& path);  // empty path: writes nothing
    void add(const Row& r);
    void finish(const RunInfo& info);  // writes the file

private:
    std::string path_;
    std::vector<Row> rows_;
};

}  // namespace convkit_bench
