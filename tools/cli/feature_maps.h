// Output feature maps made viewable: each channel is shown as |y| / max|y|
// over that channel (0 black, the channel's largest magnitude white; an
// all-zero channel stays black), so signs are folded and channels are scaled
// independently. A grid tiles the channels row by row, ceil(sqrt(M)) per row,
// with a 2-pixel mid-grey gap.
#pragma once

#include "image.h"

#include <vector>

namespace convkit_cli {

// `count` channels of width x height floats, consecutive (NCHW with N=1).
std::vector<Image> split_channels(const std::vector<float>& data, int count, int width, int height);

// |v| / max|v| per image, in [0, 1]. Returns max|v| of the input.
float normalise_for_display(Image& image);

Image tile_grid(const std::vector<Image>& tiles);

}  // namespace convkit_cli
