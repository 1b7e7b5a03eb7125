// Checks `convkit run --synthetic step --filters sobel --pad same` output:
//   check_sobel sobel_x.png sobel_y.png
// The step is at column W/2 (0 left, 1 right). Display values are |y|/max|y|.
// Sobel-x must be white (>= 250/255) on the two columns around the step and
// ~0 (<= 2/255) on interior columns at least 2 away from it; columns next to
// the image's left/right borders and the top/bottom rows are skipped (zero
// padding makes edges there). Sobel-y must be ~0 on all interior rows.
#include "png_io.h"

#include <cstdio>
#include <cstdlib>

using convkit_cli::Image;

namespace {

constexpr float kWhite = 250.0f / 255, kBlack = 2.0f / 255;
int failures = 0;

void expect(bool ok, const char* what, int x, int y, float v) {
    if (ok) return;
    if (++failures <= 10) std::fprintf(stderr, "%s at x=%d y=%d: %.3f\n", what, x, y, v);
}

void check_sobel_x(const Image& gx) {
    const int step = gx.width / 2;
    for (int y = 1; y + 1 < gx.height; ++y)
        for (int x = 1; x + 1 < gx.width; ++x) {
            const float v = gx.at(x, y);
            if (x == step - 1 || x == step) expect(v >= kWhite, "sobel_x: weak edge at the step", x, y, v);
            else if (std::abs(x - step) >= 2) expect(v <= kBlack, "sobel_x: response away from the step", x, y, v);
        }
}

void check_sobel_y(const Image& gy) {
    for (int y = 1; y + 1 < gy.height; ++y)
        for (int x = 0; x < gy.width; ++x)
            expect(gy.at(x, y) <= kBlack, "sobel_y: response on an interior row", x, y, gy.at(x, y));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: check_sobel sobel_x.png sobel_y.png\n");
        return 2;
    }
    try {
        const Image gx = convkit_cli::read_grey_png(argv[1]), gy = convkit_cli::read_grey_png(argv[2]);
        if (gx.width < 8 || gx.height < 3) {
            std::fprintf(stderr, "image too small: %dx%d\n", gx.width, gx.height);
            return 1;
        }
        check_sobel_x(gx);
        check_sobel_y(gy);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "check_sobel: %s\n", e.what());
        return 1;
    }
    if (failures) std::fprintf(stderr, "check_sobel: %d pixels wrong\n", failures);
    else std::printf("check_sobel: edge at the step column, ~0 elsewhere\n");
    return failures ? 1 : 0;
}
