// 8-bit grey PNG files through libpng's simplified API (png_image).
#pragma once

#include "image.h"

#include <string>

namespace convkit_cli {

// Reads any PNG libpng understands (grey, RGB, palette, 16-bit, alpha),
// converted by libpng to 8-bit grey, as values in [0, 1]. Throws
// std::runtime_error naming the file.
Image read_grey_png(const std::string& path);

// Writes values in [0, 1] (clamped) as an 8-bit grey PNG.
void write_grey_png(const std::string& path, const Image& image);

}  // namespace convkit_cli
