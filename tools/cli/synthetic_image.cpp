#include "synthetic_image.h"

#include "cli_options.h"

namespace convkit_cli {
namespace {

constexpr int kCheckerCell = 8;

Image step(int width, int height) {
    Image im(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = width / 2; x < width; ++x) im.at(x, y) = 1;
    return im;
}

Image checker(int width, int height) {
    Image im(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) im.at(x, y) = float((x / kCheckerCell + y / kCheckerCell) % 2);
    return im;
}

}  // namespace

Image synthetic_image(const std::string& kind, int width, int height) {
    if (kind == "step") return step(width, height);
    if (kind == "checker") return checker(width, height);
    throw UsageError("--synthetic '" + kind + "': expected step or checker");
}

}  // namespace convkit_cli
