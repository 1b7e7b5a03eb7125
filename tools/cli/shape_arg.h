// A convolution shape given on the command line, in either of two forms:
//   a oneDNN benchdnn descriptor, e.g. "mb1ic64ih56oc64oh56kh3ph1"
//     (the rules of bench/layer_suite.h), or
//   "N,C,H,W,M,K[,stride,pad,dilation,groups]" (square kernel, symmetric
//     padding, as convkit::make_shape).
#pragma once

#include <convkit/convkit.h>

#include <string>

namespace convkit_cli {

// Throws UsageError naming `option` and what is wrong (including invalid
// shapes, e.g. groups that do not divide C).
convkit::ConvShape parse_shape_arg(const std::string& option, const std::string& text);

}  // namespace convkit_cli
