// A single-channel float image, row-major.
#pragma once

#include <cstddef>
#include <vector>

namespace convkit_cli {

struct Image {
    int width = 0, height = 0;
    std::vector<float> pixels;  // width * height values

    Image() = default;
    Image(int w, int h, float fill = 0) : width(w), height(h), pixels(size_t(w) * h, fill) {}
    float& at(int x, int y) { return pixels[size_t(y) * width + x]; }
    float at(int x, int y) const { return pixels[size_t(y) * width + x]; }
};

}  // namespace convkit_cli
