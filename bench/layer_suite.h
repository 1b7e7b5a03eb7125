// Layer suites for convkit_bench: named convolution shapes read from a file.
//
// Two formats are understood:
//
//  * CSV (".csv", or content whose first non-comment line starts with "name,"):
//      name,N,C,H,W,M,KH,KW,stride,pad,dilation,groups,class
//    Lines whose first non-blank character is '#' are comments; blank lines are
//    skipped. The header must name all 13 columns (any order). Kernels are
//    square, padding symmetric, stride and dilation equal on both axes.
//
//  * oneDNN benchdnn convolution descriptors (any other file), one per line:
//      mb1ic64ih56oc64oh56kh3ph1n"resnet_50:res2a_branch2b"
//    Keys: mb g ic ih iw oc oh ow kh kw sh sw ph pw dh dw, then optionally
//    n"name" (or nNAME) to the end of the descriptor. '_' between keys is
//    ignored. Rules follow benchdnn: ic, oc, ih and kh are required (iw, kw
//    for a 1-D problem given only w keys); g=1, s=1, d=0 (benchdnn dilation is
//    d-1: dh0 is dilation 1); a problem with no w keys is square (w copies all
//    h values); a missing o is computed; a missing p is derived from i and o
//    when o is given, else 0; where o implies less bottom/right padding than
//    top/left, the end pad shrinks (benchdnn's implicit right padding).
//    Deviation: mb defaults to 1 (benchdnn uses 2). Words are separated by
//    blanks (a quoted name may contain blanks). "--mb=N" sets the batch for
//    the descriptors after it (N=0 restores each descriptor's own);
//    "--batch=FILE" includes FILE (relative to the including file); other
//    "--" options are ignored. Text after '#' is a comment. The class is derived from the shape (see derive_class).
#pragma once

#include <convkit/convkit.h>

#include <istream>
#include <string>
#include <vector>

namespace convkit_bench {

struct Layer {
    std::string name, cls;
    convkit::ConvShape shape;
};

enum class SuiteFormat { Auto, Csv, Benchdnn };

// Reads a suite file. Auto picks the format from the extension (".csv") or,
// failing that, from the content. Throws std::runtime_error with
// "file:line: ..." on malformed input, and when the file has no layers.
std::vector<Layer> load_suite(const std::string& path, SuiteFormat format = SuiteFormat::Auto);

// Parsers on a stream; `source` names the stream in error messages.
std::vector<Layer> parse_csv_suite(std::istream& in, const std::string& source);
std::vector<Layer> parse_benchdnn_suite(std::istream& in, const std::string& source);

// One benchdnn descriptor (no options, no comment). mb_override > 0 replaces
// the descriptor's mb. `where` prefixes error messages ("file:line").
Layer parse_benchdnn_desc(const std::string& desc, const std::string& where,
                          int64_t mb_override = 0);

// A class label in the style of layers/public.csv: "depthwise", "grouped",
// "first_c3", "1x1", "3x3", "7x7", ... with "_s2" appended for stride 2 etc.
std::string derive_class(const convkit::ConvShape& shape);

}  // namespace convkit_bench
