// Test images made on the fly (`convkit run --synthetic`), so no file is needed:
//   step     0 left of column width/2, 1 from it on (a vertical edge)
//   checker  8x8-pixel squares of 0 and 1, starting with 0 at the top left
#pragma once

#include "image.h"

#include <string>

namespace convkit_cli {

// Throws UsageError for an unknown kind.
Image synthetic_image(const std::string& kind, int width, int height);

}  // namespace convkit_cli
