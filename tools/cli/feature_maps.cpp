#include "feature_maps.h"

#include <algorithm>
#include <cmath>

namespace convkit_cli {
namespace {

constexpr int kGap = 2;
constexpr float kGapGrey = 0.5f;

void paste(Image& into, const Image& tile, int left, int top) {
    for (int y = 0; y < tile.height; ++y)
        for (int x = 0; x < tile.width; ++x) into.at(left + x, top + y) = tile.at(x, y);
}

}  // namespace

std::vector<Image> split_channels(const std::vector<float>& data, int count, int width, int height) {
    std::vector<Image> maps;
    const size_t plane = size_t(width) * height;
    for (int c = 0; c < count; ++c) {
        Image im(width, height);
        std::copy_n(data.begin() + std::ptrdiff_t(c * plane), plane, im.pixels.begin());
        maps.push_back(std::move(im));
    }
    return maps;
}

float normalise_for_display(Image& image) {
    float peak = 0;
    for (float v : image.pixels) peak = std::max(peak, std::fabs(v));
    for (float& v : image.pixels) v = peak > 0 ? std::fabs(v) / peak : 0.0f;
    return peak;
}

Image tile_grid(const std::vector<Image>& tiles) {
    if (tiles.empty()) return Image();
    const int n = int(tiles.size());
    const int cols = int(std::ceil(std::sqrt(double(n))));
    const int rows = (n + cols - 1) / cols;
    const int w = tiles[0].width, h = tiles[0].height;
    Image grid(cols * w + (cols - 1) * kGap, rows * h + (rows - 1) * kGap, kGapGrey);
    for (int i = 0; i < n; ++i) paste(grid, tiles[i], (i % cols) * (w + kGap), (i / cols) * (h + kGap));
    return grid;
}

}  // namespace convkit_cli
