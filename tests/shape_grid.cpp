#include "shape_grid.h"

#include "test_util.h"

#include <set>
#include <string>
#include <utility>

namespace convkit_test {

using convkit::ConvShape;

namespace {

struct Channels {
    int64_t c, m;
};

struct Padding {
    int64_t top, bottom, left, right;
};

struct Pair {
    int64_t h, w;
};

// v[i % v.size()]: rotates secondary parameters through a family.
template <class T>
const T& cycle(const std::vector<T>& v, size_t i) {
    return v[i % v.size()];
}

Padding no_padding(int64_t) { return {0, 0, 0, 0}; }
Padding same_padding(int64_t k) { return {k / 2, k / 2, k / 2, k / 2}; }
// 4-sided and lopsided: k=3 gives top=1, bottom=0, left=2, right=1.
Padding asymmetric_padding(int64_t k) { return {k / 2, 0, k - 1, k > 1 ? 1 : 0}; }

const std::vector<Padding (*)(int64_t)> kPaddings = {no_padding, same_padding,
                                                     asymmetric_padding};

Shape& with_padding(Shape& s, const Padding& p) { return s.pad(p.top, p.bottom, p.left, p.right); }

// Collects shapes, dropping duplicates (families may overlap).
class Grid {
public:
    void add(const ConvShape& s) {
        if (names_.insert(shape_name(s)).second) shapes_.push_back(s);
    }
    std::vector<ConvShape> take() { return std::move(shapes_); }

private:
    std::set<std::string> names_;
    std::vector<ConvShape> shapes_;
};

// Square kernels 1..11 x strides 1, 2, 4 x {no, same, asymmetric} padding.
// Channels shrink as the kernel grows to stay within the MAC budget.
void add_kernel_stride_padding(Grid& grid) {
    const std::vector<Channels> small_kernel = {{1, 5}, {3, 8}, {4, 16}, {16, 17},
                                                {32, 8}, {4, 1}, {16, 33}, {1, 64}};
    const std::vector<Channels> large_kernel = {{1, 5}, {3, 8}, {4, 8}, {4, 1}, {3, 17}};
    const std::vector<Pair> extra = {{6, 10}, {8, 5}, {3, 7}, {5, 4}, {12, 2}};
    size_t i = 0;
    for (int64_t k : {1, 3, 5, 7, 11})
        for (int64_t stride : {1, 2, 4})
            for (auto padding : kPaddings) {
                const Channels ch = cycle(k <= 3 ? small_kernel : large_kernel, i);
                const Pair e = cycle(extra, i++);
                Shape s = Shape(1, ch.c, k + e.h, k + e.w).out(ch.m).kernel(k, k);
                grid.add(with_padding(s.stride(stride, stride), padding(k)));
            }
}

// Dilation 2 (isotropic and anisotropic) with strides 1, 2 and padding.
void add_dilation(Grid& grid) {
    const std::vector<Channels> channels = {{4, 8}, {3, 5}, {16, 16}, {1, 17}, {8, 4}};
    const std::vector<Pair> dilations = {{2, 2}, {2, 1}, {1, 2}};
    size_t i = 0;
    for (int64_t k : {3, 5})
        for (const Pair& d : dilations)
            for (int64_t stride : {1, 2})
                for (bool padded : {false, true}) {
                    const Channels ch = cycle(channels, i++);
                    Shape s = Shape(1, ch.c, 13, 11).out(ch.m).kernel(k, k);
                    s.stride(stride, stride).dilation(d.h, d.w);
                    if (padded) s.pad(d.h * (k / 2), d.h * (k / 2), d.w * (k / 2), d.w * (k / 2));
                    grid.add(s);
                }
}

// Grouped, depthwise (groups = C = M) and depthwise-multiplier (groups = C,
// M = 2*C) convolutions for every kernel size.
void add_groups(Grid& grid) {
    struct Grouping {
        int64_t c, m, groups;
    };
    const std::vector<Grouping> groupings = {
        {4, 8, 2},   {16, 16, 2}, {32, 16, 4}, {6, 9, 3},  // grouped
        {1, 1, 1},   {3, 3, 3},   {4, 4, 4},   {16, 16, 16}, {32, 32, 32},  // depthwise
        {4, 8, 4},   {16, 32, 16},  // depthwise multiplier 2
    };
    const std::vector<int64_t> strides = {1, 2, 1, 4, 2};
    const std::vector<Pair> spatial = {{8, 11}, {6, 9}, {11, 7}};
    size_t i = 0;
    for (int64_t k : {1, 3, 5, 7, 11})
        for (const Grouping& g : groupings) {
            const int64_t stride = cycle(strides, i);
            const Pair hw = cycle(spatial, i);
            Shape s = Shape(1, g.c, hw.h + k / 2, hw.w + k / 2).out(g.m).kernel(k, k);
            s.stride(stride, stride).groups(g.groups);
            grid.add(with_padding(s, cycle(kPaddings, i++)(k)));
        }
    // Depthwise with 20 groups, which no vector width divides: kernels that
    // put a vector of groups in the lanes run a last vector overlapping the
    // one before it.
    for (int64_t k : {3, 5})
        for (int64_t stride : {1, 2}) {
            Shape s = Shape(1, 20, 7 + stride * 2, 8).out(20).kernel(k, k).stride(stride, stride).groups(20);
            grid.add(with_padding(s, cycle(kPaddings, i++)(k)));
        }
}

// Batch 3, dense and depthwise.
void add_batch(Grid& grid) {
    for (int64_t k : {1, 3, 5})
        for (int64_t stride : {1, 2})
            for (bool depthwise : {false, true}) {
                Shape s = Shape(3, 8, 11, 13).out(depthwise ? 8 : 5).kernel(k, k);
                s.stride(stride, stride).pad(k / 2).groups(depthwise ? 8 : 1);
                grid.add(s);
            }
}

// First layers: C = 3 with large kernels and strides.
void add_first_layers(Grid& grid) {
    const std::vector<int64_t> small_kernel = {64, 16, 8};
    const std::vector<int64_t> large_kernel = {16, 8, 5};
    size_t i = 0;
    for (int64_t k : {3, 5, 7, 11})
        for (int64_t stride : {1, 2, 4}) {
            const int64_t m = cycle(k <= 5 ? small_kernel : large_kernel, i++);
            // Fewer output rows for the costly stride-1 cases.
            const int64_t h = stride == 1 ? 7 : 19;
            grid.add(Shape(1, 3, h, 23).out(m).kernel(k, k).stride(stride, stride).pad(k / 2));
        }
}

// Non-square kernels with anisotropic strides and 4-sided padding.
void add_anisotropic(Grid& grid) {
    const std::vector<Pair> kernels = {{1, 3}, {3, 1}, {1, 7}, {7, 1}, {3, 5}, {5, 3}};
    const std::vector<Pair> strides = {{1, 2}, {2, 1}, {4, 2}, {2, 4}};
    const std::vector<Channels> channels = {{4, 5}, {16, 8}, {3, 17}, {1, 16}, {32, 4}};
    size_t i = 0;
    for (const Pair& k : kernels)
        for (const Pair& stride : strides) {
            const Channels ch = cycle(channels, i);
            Shape s = Shape(1, ch.c, 14, 19).out(ch.m).kernel(k.h, k.w).stride(stride.h, stride.w);
            if (i++ % 2) s.pad(k.h / 2, 0, k.w - 1, k.w > 1 ? 1 : 0);
            grid.add(s);
        }
}

// Every listed C with every listed M (3x3, padding 1).
void add_channel_sweep(Grid& grid) {
    size_t i = 0;
    for (int64_t c : {1, 3, 4, 16, 32})
        for (int64_t m : {1, 5, 8, 16, 17, 33, 64}) {
            const int64_t stride = i++ % 2 ? 2 : 1;
            grid.add(Shape(1, c, 6, 7).out(m).kernel(3, 3).stride(stride, stride).pad(1));
        }
}

// Spatial edge cases: 1x1 inputs, single rows/columns, odd sizes, kernels
// exactly as large as the padded input, outputs that only see padding.
void add_spatial_edges(Grid& grid) {
    grid.add(Shape(1, 16, 1, 1).out(33).kernel(1, 1));                    // 1x1 input
    grid.add(Shape(1, 8, 1, 1).out(5).kernel(3, 3).pad(1));               // only the centre tap
    grid.add(Shape(3, 4, 1, 1).out(8).kernel(3, 3).stride(2, 2).pad(1));  // 1x1, stride 2
    grid.add(Shape(1, 4, 1, 1).out(4).kernel(3, 3).pad(1, 1, 0, 2).groups(4));
    grid.add(Shape(1, 3, 17, 31).out(8).kernel(3, 3).pad(1));             // odd sizes
    grid.add(Shape(1, 5, 31, 17).out(17).kernel(5, 5).stride(2, 2).pad(2));
    grid.add(Shape(1, 4, 1, 33).out(8).kernel(1, 3).pad(0, 0, 1, 1));     // single row
    grid.add(Shape(1, 4, 33, 1).out(8).kernel(3, 1).pad(1, 1, 0, 0));     // single column
    grid.add(Shape(2, 3, 3, 3).out(16).kernel(3, 3));                     // kernel == input
    grid.add(Shape(1, 4, 5, 5).out(8).kernel(7, 7).pad(1));               // kernel == padded input
    grid.add(Shape(1, 2, 9, 9).out(5).kernel(11, 11).pad(1, 1, 0, 2));
    grid.add(Shape(1, 4, 4, 6).out(5).kernel(5, 7).pad(1, 0, 0, 1));
    grid.add(Shape(1, 4, 3, 3).out(4).kernel(3, 3).pad(1).dilation(2, 2));  // dilated == padded
    grid.add(Shape(1, 4, 6, 6).out(8).kernel(1, 1).pad(1));               // border sees only padding
    grid.add(Shape(1, 4, 5, 7).out(8).kernel(3, 3).pad(2, 3, 3, 2));      // pad larger than k/2
    grid.add(Shape(1, 3, 8, 8).out(8).kernel(3, 3).stride(4, 4).pad(0, 3, 0, 3));
    grid.add(Shape(1, 16, 2, 2).out(64).kernel(2, 2).stride(2, 2));       // even kernel
}

// Several features at once.
void add_combined(Grid& grid) {
    grid.add(Shape(3, 16, 13, 17).out(32).kernel(3, 3).stride(2, 1).pad(1, 0, 2, 1)
                 .dilation(2, 1).groups(16));
    grid.add(Shape(3, 8, 12, 15).out(12).kernel(5, 3).stride(1, 2).pad(2, 1, 0, 1)
                 .dilation(1, 2).groups(4));
    grid.add(Shape(2, 6, 19, 11).out(9).kernel(3, 5).stride(4, 1).pad(0, 2, 2, 2).groups(3));
    grid.add(Shape(3, 3, 16, 16).out(16).kernel(7, 7).stride(2, 2).pad(3, 2, 3, 2));
    grid.add(Shape(1, 3, 16, 16).out(64).kernel(7, 7).stride(2, 2).pad(3));  // ResNet stem
    grid.add(Shape(1, 32, 9, 9).out(64).kernel(3, 3).stride(2, 2).pad(1).groups(2));
    grid.add(Shape(3, 4, 10, 10).out(8).kernel(3, 3).pad(2).dilation(2, 2).groups(4));
    grid.add(Shape(1, 33, 7, 8).out(17).kernel(3, 3).pad(1));  // odd channel counts
    grid.add(Shape(1, 17, 9, 5).out(1).kernel(5, 1).stride(1, 3).pad(2, 2, 0, 0));
    // 13 and 7 output columns (direct_padded's row tiles on AVX-512),
    // partial blocks of input and output channels (in both groups), batch 2.
    grid.add(Shape(2, 40, 7, 13).out(72).kernel(3, 3).pad(0, 0, 1, 1).groups(2));
    grid.add(Shape(1, 24, 7, 7).out(40).kernel(3, 3).pad(1));
}

// Feature maps wide and tall enough that the runtime splits the output into a
// padding-free interior and border regions (a few register tiles each way on
// every ISA, up to 32-column tiles), with every kind of padding and stride.
void add_interior_border_split(Grid& grid) {
    grid.add(Shape(1, 4, 20, 70).out(16).kernel(3, 3).pad(1));
    grid.add(Shape(1, 3, 20, 90).out(9).kernel(5, 5).pad(2, 1, 2, 0));
    grid.add(Shape(1, 8, 22, 100).out(8).kernel(3, 3).pad(1).groups(8));  // depthwise
    grid.add(Shape(1, 6, 30, 140).out(12).kernel(3, 3).stride(2, 2).pad(1).groups(6));
    grid.add(Shape(1, 4, 21, 90).out(8).kernel(3, 3).pad(2).dilation(2, 2));
    grid.add(Shape(1, 4, 19, 83).out(8).kernel(7, 7).stride(2, 1).pad(3, 0, 1, 3));
    grid.add(Shape(1, 8, 16, 64).out(16).kernel(1, 1).pad(1, 0, 0, 1));  // 1x1 with padding
    grid.add(Shape(2, 4, 18, 96).out(8).kernel(3, 3).pad(0, 1, 1, 0).groups(2));
    // 32 output columns: whole vectors on every ISA (kn2row's vector path).
    grid.add(Shape(1, 4, 10, 32).out(8).kernel(3, 3).pad(1));
}

// 1x1, stride 1, unpadded: kernels vectorized along the output rows run
// these planes as rows of one vector each (runtime/src/regions.h,
// call_shape) where the plane holds a whole number of them: 64, 240, 48 and
// 96 pixels do at every vector width, 24 at 8 and 4 lanes only.
void add_flat_planes(Grid& grid) {
    grid.add(Shape(1, 16, 8, 8).out(33).kernel(1, 1));
    grid.add(Shape(2, 8, 12, 20).out(16).kernel(1, 1).groups(2));
    grid.add(Shape(1, 12, 6, 4).out(9).kernel(1, 1));
    grid.add(Shape(3, 16, 4, 12).out(16).kernel(1, 1).groups(16));  // depthwise
    grid.add(Shape(1, 8, 16, 6).out(8).kernel(1, 1).dilation(2, 2));
    grid.add(Shape(1, 8, 64, 1).out(5).kernel(1, 1));  // one column
}

// Depthwise, stride 1, output rows as long as the input's: kernels with the
// plane kind (region_kind.h) read these planes as one flat row straight
// from the input, masking the taps whose column would cross a row's end or
// whose row leaves the plane, for every group but the first and the last
// (at least 4 between them). Asymmetric padding on both axes, one-sided
// padding, more rows out than in, 1x3 and 3x1 kernels, dilation, a channel
// multiplier, batch, group counts that are no multiple of the kind's 4
// groups per tile, planes shorter than a register tile (20 outputs; 6
// outputs, whose taps reach past the neighbouring planes), the specialized
// widths 7, 14 and 28, and a plane near the masks' bound.
void add_flat_depthwise_planes(Grid& grid) {
    grid.add(Shape(1, 12, 7, 7).out(12).kernel(3, 3).pad(1).groups(12));
    grid.add(Shape(2, 8, 5, 9).out(8).kernel(3, 3).pad(1, 0, 0, 2).groups(8));
    grid.add(Shape(1, 7, 9, 6).out(7).kernel(3, 3).pad(0, 2, 2, 0).groups(7));
    grid.add(Shape(1, 7, 6, 8).out(7).kernel(3, 3).pad(1, 2, 1, 1).groups(7));  // 7 rows out of 6
    grid.add(Shape(1, 6, 14, 14).out(12).kernel(3, 3).pad(1).groups(6));  // multiplier 2
    grid.add(Shape(1, 6, 9, 11).out(6).kernel(1, 3).pad(0, 0, 1, 1).groups(6));
    grid.add(Shape(1, 6, 8, 10).out(6).kernel(3, 1).pad(1, 1, 0, 0).groups(6));
    grid.add(Shape(1, 6, 10, 10).out(6).kernel(3, 3).pad(2).dilation(2, 2).groups(6));
    grid.add(Shape(1, 8, 4, 5).out(8).kernel(3, 3).pad(1).groups(8));  // 20 outputs per plane
    grid.add(Shape(1, 8, 1, 6).out(8).kernel(3, 3).pad(1).groups(8));  // 6 outputs, 7 back
    grid.add(Shape(1, 6, 11, 12).out(6).kernel(2, 2).pad(1, 0, 1, 0).groups(6));
    grid.add(Shape(1, 6, 28, 28).out(6).kernel(3, 3).pad(1).groups(6));
    grid.add(Shape(1, 6, 38, 41).out(6).kernel(3, 3).pad(1).groups(6));
}

// Depthwise planes the plane kind does not take (stride 2, or more pixels
// than its bound) with rows of at least a vector of outputs: kernels with
// the masked kind (region_kind.h) read them straight from the input,
// masking the taps whose column leaves the row, for every group but the
// first and the last; rows whose taps all read inside (a tile of them)
// run without row checks. Stride 2 with 4-sided asymmetric padding and an
// odd width, taps past the rows' right ends, fewer output rows than a
// tile, dilation, a 5x5 kernel, a channel multiplier, batch, no padding,
// and a stride-1 plane over the plane kind's bound.
void add_masked_depthwise_planes(Grid& grid) {
    grid.add(Shape(1, 6, 20, 34).out(6).kernel(3, 3).stride(2, 2).pad(1).groups(6));
    grid.add(Shape(1, 7, 21, 37).out(7).kernel(3, 3).stride(2, 2).pad(1, 0, 2, 1).groups(7));
    grid.add(Shape(1, 6, 9, 33).out(6).kernel(3, 3).stride(2, 2).pad(0, 2, 0, 3).groups(6));
    grid.add(Shape(1, 6, 30, 36).out(6).kernel(3, 3).stride(2, 2).pad(2).dilation(2, 2).groups(6));
    grid.add(Shape(2, 6, 24, 40).out(12).kernel(5, 5).stride(2, 2).pad(2).groups(6));  // multiplier 2
    grid.add(Shape(1, 6, 18, 33).out(6).kernel(3, 3).stride(2, 2).groups(6));          // no padding
    grid.add(Shape(1, 6, 40, 60).out(6).kernel(3, 3).pad(1).groups(6));  // 2400 pixels, stride 1
}

}  // namespace

std::vector<ConvShape> grid_shapes() {
    Grid grid;
    add_kernel_stride_padding(grid);
    add_dilation(grid);
    add_groups(grid);
    add_batch(grid);
    add_first_layers(grid);
    add_anisotropic(grid);
    add_channel_sweep(grid);
    add_spatial_edges(grid);
    add_combined(grid);
    add_interior_border_split(grid);
    add_flat_planes(grid);
    add_flat_depthwise_planes(grid);
    add_masked_depthwise_planes(grid);
    return grid.take();
}

}  // namespace convkit_test
