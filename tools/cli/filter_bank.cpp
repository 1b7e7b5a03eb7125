#include "filter_bank.h"

#include "cli_options.h"

#include <cstdio>
#include <random>

namespace convkit_cli {
namespace {

FilterBank sobel() {
    return {3, {"sobel_x", "sobel_y"},
            {-1, 0, 1, -2, 0, 2, -1, 0, 1,    // x: vertical edges
             -1, -2, -1, 0, 0, 0, 1, 2, 1}};  // y: horizontal edges
}

FilterBank gaussian() {
    const float taps[5] = {1, 4, 6, 4, 1};
    FilterBank bank{5, {"gaussian"}, {}};
    for (float row : taps)
        for (float col : taps) bank.weights.push_back(row * col / 256.0f);
    return bank;
}

FilterBank laplacian() { return {3, {"laplacian"}, {0, 1, 0, 1, -4, 1, 0, 1, 0}}; }

FilterBank random_bank(int channels, uint32_t seed) {
    FilterBank bank{3, {}, {}};
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (int c = 0; c < channels; ++c) {
        char name[32];
        std::snprintf(name, sizeof name, "random_%02d", c);
        bank.names.push_back(name);
        for (int i = 0; i < 9; ++i) bank.weights.push_back(dist(gen));
    }
    return bank;
}

}  // namespace

FilterBank make_filter_bank(const std::string& name, int channels, uint32_t seed) {
    if (name == "sobel") return sobel();
    if (name == "gaussian") return gaussian();
    if (name == "laplacian") return laplacian();
    if (name == "random") return random_bank(channels, seed);
    throw UsageError("--filters '" + name + "': expected sobel, gaussian, laplacian or random");
}

}  // namespace convkit_cli
