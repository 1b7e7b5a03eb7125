#include "memory_formulas.h"

#include <map>

namespace convkit_cli {

std::string memory_formula(const std::string& kernel) {
    static const std::map<std::string, std::string> formulas = {
        {"direct", "0"},
        {"direct_dw", "0"},
        {"direct_rows", "0"},
        {"im2col", "N*C*KH*KW*Ho*Wo' (0 for 1x1/s1/unpadded)"},
        {"im2col_tiled", "T*(C/g)*KH*KW*Wo'*tile_y (0 for 1x1/s1/unpadded)"},
        {"mec_a", "N*C*KW*Hr*Wo' + N*M*Ho*Wo"},
        {"mec_b", "N*C*KW*Hr*Wo'"},
        {"im2win", "N*C*KH*Wr*Ho"},
        {"kn2row", "N*g*KH*KW*M'*H*W"},
        {"kn2row_aa", "M'*H*W"},
        {"kn2row_as", "0"},
    };
    auto it = formulas.find(kernel);
    return it == formulas.end() ? "see docs/memory.md" : it->second;
}

const char* memory_formula_legend() {
    return "extra memory in floats (4 bytes each); Ho, Wo: output size; g: groups;\n"
           "Wo' = max(Wo, tile_x): narrow outputs compute a whole register tile;\n"
           "Hr, Wr: input rows/columns the outputs read (padding included);\n"
           "M' = M/g rounded up to the weight block; T = threads in use (a bound;\n"
           "exact at 1 thread). Measured figures: docs/memory.md, `convkit bench --memory-only`.\n";
}

}  // namespace convkit_cli
