#!/bin/sh
# ctest rungen_direct_dw: Halide's RunGen driver runs a convkit kernel.
# 1. `--describe` lists the kernel's inputs and output;
# 2. a 3x3 depthwise convolution (4 groups) of ones, weights 0.5, bias 0.25
#    gives 9 * 0.5 + 0.25 = 4.75 at every output. direct_dw packs weights in
#    blocks of one channel on every ISA, so the extents below fit any target.
#
# usage: test_rungen.sh <path of convkit_direct_dw_<isa>.rungen>
set -eu
tool=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "test_rungen: $*" >&2; exit 1; }

"$tool" --describe | tee "$work/describe"
for line in 'Input "input" is of type Buffer<float32> with 5 dimensions' \
            'Input "weights" is of type Buffer<float32> with 6 dimensions' \
            'Input "bias" is of type Buffer<float32> with 3 dimensions' \
            'Input "threads" is of type int32' 'Input "region" is of type int32' \
            'Output "output" is of type Buffer<float32> with 5 dimensions'; do
    grep -qF "$line" "$work/describe" || fail "--describe lacks: $line"
done

# Buffers are (x, y, c, g, n), weights (lane, c, kx, ky, block, g), bias (lane, block, g).
# __user_context: convkit passes its RunContext; RunGen passes null (heap scratch).
"$tool" __user_context=0 input=constant:1:[40,10,1,4,1] weights=constant:0.5:[1,1,3,3,1,4] \
    bias=constant:0.25:[1,1,4] stride_x=1 stride_y=1 dilation_x=1 dilation_y=1 \
    pad_left=0 pad_top=0 relu=false threads=1 region=3 \
    --output_extents=[38,8,1,4,1] output="$work/output.tmp"
# A .tmp file: 5 int32 (4 extents, type code), then the values.
values=$(od -A n -v -t f4 -j 20 "$work/output.tmp" | tr -s ' ' '\n' | sed '/^$/d' | sort | uniq -c)
echo "output values (count, value):$values"
[ "$(echo $values)" = "1216 4.75" ] || fail "expected 38*8*4 = 1216 outputs of 4.75"
echo OK
