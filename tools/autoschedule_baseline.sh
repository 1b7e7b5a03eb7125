#!/usr/bin/env bash
# Halide's autoschedulers as a baseline for convkit's hand-written schedules.
# For each layer and lowering, compiles the same algorithm three ways with the
# release build's generator: convkit's schedule, Mullapudi2016 and Adams2019
# (the wheel's plugins, 1 thread, tuned for that layer's estimates: see
# ConvGenerator::autoscheduled), links each with Halide's RunGen driver and
# times it with `--benchmarks=all` (best of RunGen's blocks, ms per run).
# A "failed" entry: the autoscheduler did not produce a pipeline (its error
# is in the log beside the table).
# One kernel call covers the whole output, so the direct kernel runs its
# padding-checked path on padded layers (the runtime splits regions; RunGen
# does not): compare direct on the unpadded 1x1 layer.
#
# Usage: tools/autoschedule_baseline.sh      (ISA: the release build's first target)
# Writes build/release/autoschedule/baseline.csv and prints the table.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cmake --build --preset release --target convkit_generators >/dev/null
generator=build/release/generators/convkit_generators
halide=$(python3 -c 'import halide; print(halide.install_dir())')
plugins="$halide/lib64"
[ -d "$plugins" ] || plugins="$halide/lib"
target=$(sed -n 's/^CONVKIT_TARGETS:STRING=//p' build/release/CMakeCache.txt | cut -d';' -f1)
target="${target/-no_asserts/}"
block=$(case "$target" in *avx512*) echo 32 ;; *avx2*) echo 16 ;; *) echo 16 ;; esac)
work=build/release/autoschedule
mkdir -p "$work"

# layer size channels k kernels: input size^2, C = M = channels, k x k taps,
# stride 1, same padding; direct only where unpadded (see above)
layers="r50_l3_1x1_256 14 256 1 direct,im2col,mec_b,im2win
r50_l1_3x3_64 56 64 3 im2col,mec_b,im2win
vgg_conv4_2 28 512 3 mec_b,im2win"
# convkit kernel -> generator and its parameters
generator_of() {
    case "$1" in
        direct) echo "direct schedule=channels" ;;
        im2col) echo "im2col schedule=classic" ;;
        mec_b) echo "mec schedule=B" ;;
        im2win) echo "im2win" ;;
    esac
}

build_rungen() {  # name generator schedule size channels k params...
    local name=$1 gen=$2 schedule=$3 size=$4 channels=$5 k=$6
    shift 6
    local dir="$work/$name"
    [ -x "$dir/rungen" ] && return
    mkdir -p "$dir"
    local auto=()
    if [ "$schedule" != convkit ]; then
        local lib="$plugins/libautoschedule_$(echo "$schedule" | tr '[:upper:]' '[:lower:]').so"
        auto=(-p "$lib" "autoscheduler=$schedule" autoscheduler.parallelism=1)
    fi
    # Adams2019 searched for over 5 minutes on the direct kernel's four
    # accumulators on r50_l1_3x3_64 without finishing: bounded.
    timeout 120 "$generator" -g "$gen" -f kernel -e static_library,registration,c_header -o "$dir" \
        "target=$target" "${auto[@]}" estimate_size="$size" estimate_channels="$channels" \
        estimate_kernel="$k" "$@"
    c++ -O2 -std=c++17 -DHALIDE_NO_PNG -DHALIDE_NO_JPEG -I "$halide/include" -I "$dir" \
        "$halide/share/tools/RunGenMain.cpp" "$dir/kernel.registration.cpp" "$dir/kernel.a" \
        -o "$dir/rungen" -ldl -lpthread
}

time_ms() {  # rungen size channels k
    local size=$2 channels=$3 k=$4 blocks=$(( ($3 + block - 1) / block ))
    "$1" --benchmarks=all --benchmark_min_time=0.5 \
        "input=random:1:[$size,$size,$channels,1,1]" \
        "weights=random:2:[$block,$channels,$k,$k,$blocks,1]" "bias=zero:[$block,$blocks,1]" \
        stride_x=1 stride_y=1 dilation_x=1 dilation_y=1 pad_left=$((k / 2)) pad_top=$((k / 2)) \
        relu=false threads=1 "--output_extents=[$size,$size,$channels,1,1]" |
        sed -n 's/.*best case of \([0-9.e+-]*\) sec\/iter.*/\1/p' | awk '{printf "%.3f", $1 * 1000}'
}

csv="$work/baseline.csv"
echo "layer,kernel,convkit_ms,mullapudi2016_ms,adams2019_ms" >"$csv"
printf '%-16s %-8s %11s %16s %12s\n' layer kernel convkit_ms mullapudi2016_ms adams2019_ms
while read -r layer size channels k kernels; do
    for kernel in ${kernels//,/ }; do
        read -r gen params <<<"$(generator_of "$kernel")"
        row=("$layer" "$kernel")
        for schedule in convkit Mullapudi2016 Adams2019; do
            name="${kernel}_${layer}_${schedule}"
            # shellcheck disable=SC2086  # params: key=value words
            if build_rungen "$name" "$gen" "$schedule" "$size" "$channels" "$k" $params >"$work/$name.log" 2>&1; then
                row+=("$(time_ms "$work/$name/rungen" "$size" "$channels" "$k")")
            else
                row+=("failed")  # $work/$name.log says why
            fi
        done
        (IFS=,; echo "${row[*]}") >>"$csv"
        printf '%-16s %-8s %11s %16s %12s\n' "${row[@]}"
    done
done <<<"$layers"
echo "autoschedule_baseline: $csv (logs in $work)"
