// Which padding checks a kernel call's output region needs: part of the
// calling convention (the `region` input of every kernel). The runtime
// decides it per region (runtime/src/regions.cpp); the direct kernels
// specialize on it (generators/direct_generator.cpp), the other lowerings
// pad while lowering and ignore it. Plain C++: included by both sides.
#pragma once

namespace convkit_abi {

enum RegionKind : int {
    kInterior = 0,  // every tap reads inside the input: no checks
    kBand = 1,      // rows above or below the interior: rows checked
    kStrip = 2,     // full-height columns left or right of the interior: one column per tile
    kBorder = 3,    // anything else (maps without an interior): both axes checked
    kStaged = 4,    // a whole plane through a zero-padded copy of the input on
                    // the stack, where the copy fits: each row tile's input
                    // rows of one input channel per group (depthwise), or the
                    // whole padded plane a chunk of input channels at a time
                    // (dense, small maps)
    kLanes = 5,     // a whole plane, a vector of groups at a time (one group
                    // per lane) through a zero-padded copy of the plane on
                    // the stack: depthwise layers on small maps, whose
                    // planes are too narrow for vectors along their rows
    kPlane = 6,     // whole planes of groups, stride 1, read and written
                    // as one flat row of H*W pixels each (the runtime
                    // passes input and output so): depthwise layers on
                    // small maps, whose rows are shorter than a vector. The
                    // kernel reads its taps straight from the input, past
                    // the plane's ends into the neighbouring groups' planes
                    // (so never for the tensor's first and last group);
                    // kernels of at most kPlaneMaxKernelSize squared. A tap
                    // whose column leaves its output's row (a mask on the
                    // flat index modulo the width) or whose row leaves the
                    // plane reads zero.
    kMasked = 7,    // whole planes of groups, read straight from the input:
                    // the runtime passes each plane's rows with their
                    // columns extended past both ends, over the
                    // neighbouring rows (and, from the plane's first and
                    // last rows, the neighbouring groups' planes: never for
                    // the tensor's first and last group). A tap whose
                    // column leaves its row reads zero (a select on a
                    // vector compare, per kernel column); rows are clamped
                    // into the plane and read zero outside it. Depthwise
                    // layers whose planes the plane kind does not take
                    // (stride 2, or more pixels than its bound): no copy.
                    // One output row per register tile: beside kMaskedRows
                    // it computes only the rows that read padding.
    kMaskedRows = 8,  // the masked kind over rows whose taps all read rows
                      // of the image, a register tile of them at least:
                      // no row checks (they cost the stride-1 and stride-2
                      // 56x56 depthwise layers 1.2-1.6x).
};

constexpr int kPlaneMaxKernelSize = 3;

// Groups whose planes the plane kind computes at once, one register tile of
// each (a call has at least as many groups).
constexpr int kPlaneGroups = 4;

}  // namespace convkit_abi
