// The extra-memory formula of each kernel as a short text for `convkit list`,
// transcribed from runtime/src/workspace.cpp (the code that computes it) and
// the README's kernel table. Keep in step with them when a kernel is added.
#pragma once

#include <string>

namespace convkit_cli {

// The formula in floats, e.g. "N*C*KW*Hr*Wo'", or "see docs/memory.md" for a
// kernel without an entry.
std::string memory_formula(const std::string& kernel);

// What the symbols of the formulas mean (several lines).
const char* memory_formula_legend();

}  // namespace convkit_cli
