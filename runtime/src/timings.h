// Predicted kernel times for kernel = "auto": a table of measured times
// (written by convkit_tune, one built in) and a model for shapes not in it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "convkit/convkit.h"

namespace convkit::detail {

struct Timing {
    std::string isa, kernel;
    int threads = 1;
    ConvShape shape;
    double ms = 0;
};

struct Prediction {
    double ms = -1;     // < 0: no data for this kernel
    std::string basis;  // "table", "table (median of 2 rows)", "model: 3 similar shapes", ...
};

class TimingTable {
public:
    // Parses convkit_tune's CSV; throws Error naming the line when malformed.
    static TimingTable parse(const std::string& csv_text, const std::string& source);
    static TimingTable load(const std::string& path);
    // The table Options::timings_file, else $CONVKIT_TIMINGS, else the
    // built-in one names (cached per path).
    static const TimingTable& for_options(const Options& options);

    // The table's time when it holds this exact case; where it holds the
    // case in several rows (a layer both in the suite and in the tuner's
    // sweep, or tables of several runs joined), their median: the first
    // row alone would carry one sample's noise into the choice. Otherwise
    // the model:
    // the GFLOP/s of the kernel on the most similar shapes of the same class
    // (depthwise / grouped / dense x kernel size x stride), preferring the
    // same ISA and thread count, applied to this shape's FLOPs.
    Prediction predict(const std::string& kernel, const std::string& isa, int threads,
                       const ConvShape& shape) const;

    const std::vector<Timing>& rows() const { return rows_; }
    static std::string csv_header();
    static std::string csv_row(const Timing& t);

private:
    std::vector<Timing> rows_;
};

// A coarse shape class: kernels rank alike within one.
std::string shape_class(const ConvShape& s);

}  // namespace convkit::detail
