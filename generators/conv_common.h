// Shared definitions for convkit's Halide generators.
//
// Tensor views. The runtime hands every kernel group-explicit 5-D views of the
// caller's dense NCHW buffers (no copy: only the strides differ):
//   input  (x, y, c, g, n)   c = channel within group g
//   output (x, y, m, g, n)   m = output channel within group g
// and weights packed once at plan time into output-channel blocks of B lanes:
//   weights(lane, c, kx, ky, block, g) = W[g*Mg + block*B + lane][c][ky][kx]
// (zero for block*B + lane >= Mg), so B consecutive output channels of one
// group read one contiguous vector.
#pragma once

#include <string>

#include "Halide.h"

namespace convkit_gen {

using namespace Halide;

// Loop variables, named so they read well in stmt/profile output.
struct ConvVars {
    Var x{"x"}, y{"y"}, m{"m"}, g{"g"}, n{"n"};
    Var lane{"lane"}, block{"block"};
};

// Strides, dilations and kernel sizes: runtime parameters that schedules
// specialize on for the common layers.
struct ConvGeometry {
    Expr stride_x, stride_y, dilation_x, dilation_y;
    Expr kernel_w, kernel_h;

    // Unit dilation and the given stride on both axes.
    Expr dense_with_stride(int stride) const {
        return stride_x == stride && stride_y == stride && dilation_x == 1 && dilation_y == 1;
    }
    Expr square_kernel(int k) const { return kernel_w == k && kernel_h == k; }
};

// Facts about the target that schedules derive their tiling from.
struct TargetFacts {
    int vector_lanes;      // f32 lanes per SIMD register
    int vector_registers;  // architectural SIMD registers
};

inline TargetFacts target_facts(const Target& t) {
    const bool wide_regfile = t.arch == Target::ARM || t.has_feature(Target::AVX512);
    return TargetFacts{t.natural_vector_size<float>(), wide_regfile ? 32 : 16};
}

// The input seen through zero padding on the axes that `check_x` and
// `check_y` name: a select on each read, with clamped coordinates so that the
// read itself never leaves the image. No padded copy. An unchecked axis is a
// promise (it tells bounds inference so and costs no instructions): the
// kernel has proven that every read along it falls inside the image.
//
// With `promise_columns` false, an unchecked column is read as it is, with
// no promise: the promise wraps the vectorized column index, and Halide's
// pass that turns strided vector loads into dense loads and shuffles skips
// an index that is not a plain ramp (a stride-2 row read became a gather,
// one element at a time: direct_rows ran 10x slower on stride-2 layers).
// Only for kernels that call the unchecked accumulator in a specialization
// of its own (the direct kernels' region kinds): bounds inference then
// bounds its reads by that branch's region, which the kernel has proven
// inside the image. Elsewhere bounds inference would take the raw reads
// for the whole call and require input past the image.
inline Func padded_on(const Func& input, const Expr& width, const Expr& height, bool check_x,
                      bool check_y, bool promise_columns = true) {
    Var x("px"), y("py"), c("pc"), g("pg"), n("pn");
    Func padded(check_x ? (check_y ? "input_padded" : "input_padded_x")
                        : (check_y ? "input_padded_y" : "input_unpadded"));
    Expr read_x = check_x           ? clamp(x, 0, width - 1)
                  : promise_columns ? unsafe_promise_clamped(x, 0, width - 1)
                                    : Expr(x);
    Expr read_y = check_y ? clamp(y, 0, height - 1) : unsafe_promise_clamped(y, 0, height - 1);
    Expr inside = Internal::const_true();
    if (check_x) inside = inside && x >= 0 && x < width;
    if (check_y) inside = inside && y >= 0 && y < height;
    Expr value = input(read_x, read_y, c, g, n);
    // likely(): Halide partitions the loops around the read so that the
    // steady state, where the read is inside, runs without the select.
    padded(x, y, c, g, n) = (check_x || check_y) ? select(!inside, 0.0f, likely(value)) : value;
    return padded;
}

// A zero-padded copy of the input: zeros, with the image's columns
// [first, end) of each row inside the image copied over them. Unlike
// padded_on's select per element, no vector of the copy straddles the
// padding: the zeros and the image's columns are both dense vectors (a
// straddling vector of clamped columns is assembled lane by lane).
inline Func zero_padded_copy(const Func& input, const Expr& height, const Expr& first,
                             const Expr& end, const std::string& name) {
    Var x("px"), y("py"), c("pc"), g("pg"), n("pn");
    Func copy(name);
    copy(x, y, c, g, n) = 0.0f;
    RDom columns(first, max(end - first, 0), name + "_columns");
    Expr row_inside = y >= 0 && y < height;
    copy(columns.x, y, c, g, n) =
        select(likely(row_inside), input(columns.x, clamp(y, 0, height - 1), c, g, n), 0.0f);
    return copy;
}

inline Func zero_padded(const Func& input, const Expr& width, const Expr& height) {
    return padded_on(input, width, height, true, true);
}

inline Func unpadded(const Func& input, const Expr& width, const Expr& height) {
    return padded_on(input, width, height, false, false);
}

}  // namespace convkit_gen
