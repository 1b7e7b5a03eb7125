#include "png_io.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace convkit_cli {
namespace {

png_image blank_image() {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    return image;
}

[[noreturn]] void fail(const std::string& path, const png_image& image, const char* what) {
    throw std::runtime_error(path + ": " + what + ": " + image.message);
}

}  // namespace

Image read_grey_png(const std::string& path) {
    png_image image = blank_image();
    if (!png_image_begin_read_from_file(&image, path.c_str())) fail(path, image, "cannot read PNG");
    image.format = PNG_FORMAT_GRAY;
    std::vector<uint8_t> bytes(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, bytes.data(), 0, nullptr)) {
        png_image_free(&image);
        fail(path, image, "cannot decode PNG");
    }
    Image out(int(image.width), int(image.height));
    std::transform(bytes.begin(), bytes.end(), out.pixels.begin(),
                   [](uint8_t b) { return float(b) / 255.0f; });
    return out;
}

void write_grey_png(const std::string& path, const Image& in) {
    png_image image = blank_image();
    image.width = png_uint_32(in.width);
    image.height = png_uint_32(in.height);
    image.format = PNG_FORMAT_GRAY;
    std::vector<uint8_t> bytes(in.pixels.size());
    std::transform(in.pixels.begin(), in.pixels.end(), bytes.begin(), [](float v) {
        return uint8_t(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
    });
    if (!png_image_write_to_file(&image, path.c_str(), 0, bytes.data(), 0, nullptr))
        fail(path, image, "cannot write PNG");
}

}  // namespace convkit_cli
