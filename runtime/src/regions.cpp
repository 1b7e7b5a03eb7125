#include "regions.h"

#include <algorithm>

namespace convkit::detail {
namespace {

struct Span {
    int64_t lo, hi;  // interior outputs along one axis; empty when lo >= hi
};

// Along one axis: outputs o with o*stride - pad >= 0 and
// o*stride - pad + (k-1)*dilation <= in - 1 read no padding. Border spans
// are widened to a whole tile unless they are empty.
Span interior_span(int64_t in, int64_t pad, int64_t k, int64_t dilation, int64_t stride,
                   int64_t out, int64_t tile) {
    const int64_t first = (pad + stride - 1) / stride;
    const int64_t limit = in - 1 + pad - (k - 1) * dilation;  // o*stride <= limit
    const int64_t end = limit < 0 ? 0 : std::min(out, limit / stride + 1);
    Span span{first == 0 ? 0 : std::max(first, tile), end == out ? out : std::min(end, out - tile)};
    if (out < tile || span.hi - span.lo < tile) return Span{0, 0};
    return span;
}

}  // namespace

std::vector<Region> split_output(const ConvShape& s, int tile_x, int tile_y) {
    const int64_t out_w = s.out_w(), out_h = s.out_h();
    const Span xs = interior_span(s.W, s.pad_left, s.KW, s.dilation_w, s.stride_w, out_w, tile_x);
    const Span ys = interior_span(s.H, s.pad_top, s.KH, s.dilation_h, s.stride_h, out_h, tile_y);
    if (xs.lo >= xs.hi || ys.lo >= ys.hi) return {Region{0, out_w, 0, out_h}};
    const Region candidates[] = {
        {0, out_w, 0, ys.lo},             // top band
        {0, xs.lo, ys.lo, ys.hi},         // left strip
        {xs.lo, xs.hi, ys.lo, ys.hi},     // interior
        {xs.hi, out_w, ys.lo, ys.hi},     // right strip
        {0, out_w, ys.hi, out_h},         // bottom band
    };
    std::vector<Region> regions;
    for (const Region& r : candidates) {
        if (r.x0 < r.x1 && r.y0 < r.y1) regions.push_back(r);
    }
    return regions;
}

}  // namespace convkit::detail
