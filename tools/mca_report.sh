#!/usr/bin/env bash
# llvm-mca report of the kernels' hot inner loops: for each kernel (from
# generators/CMakeLists.txt) and each target below, emits the assembly and
# stmt with the generator, finds the innermost loops (blocks that branch back
# to their own label; also LLVM's multi-block inner loops) with the most
# vector FMAs (tools/asm_loops.py), and runs llvm-mca-19 on each loop body:
#   avx512 target  on -mcpu=skylake-avx512
#   avx2 target    on -mcpu=znver3
#   arm-64-linux   on -mcpu=neoverse-n1
# Per loop: instructions, FMAs per iteration, block reciprocal throughput
# (cycles/iteration), simulated cycles/iteration, FMA-port utilization =
# (FMAs / FMA pipes) / cycles, stack loads/stores (spills) in the body.
# Writes the full report (all loops, llvm-mca output of the top ones) to
# OUT_FILE and prints the summary table. Installs llvm-19 (Debian) if
# llvm-mca-19 is missing; builds the generator if it is missing.
#
# Usage: tools/mca_report.sh [OUT_FILE]      (default build/release/mca_report.txt)
#   The generated assembly and stmt files go to <dir of OUT_FILE>/mca/.
#   env: MCA_TOP=N      loops per kernel and target in the summary (default 3)
#        LLVM_MCA=PATH  llvm-mca binary (default llvm-mca-19)
#        CONVKIT_GENERATORS=PATH  generator executable
#                       (default build/release/generators/convkit_generators)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-build/release/mca_report.txt}"
mca="${LLVM_MCA:-llvm-mca-19}"

if ! command -v "$mca" >/dev/null; then
    echo "mca_report: $mca not found, installing Debian's llvm-19..." >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq llvm-19 >/dev/null
    command -v "$mca" >/dev/null || { echo "mca_report: still no $mca after installing llvm-19" >&2; exit 1; }
fi

generator="${CONVKIT_GENERATORS:-build/release/generators/convkit_generators}"
if [ ! -x "$generator" ] && [ -z "${CONVKIT_GENERATORS:-}" ]; then
    echo "mca_report: building $generator..." >&2
    export PATH="$root/.venv/bin:$PATH"
    cmake --preset release >/dev/null
    cmake --build --preset release --target convkit_generators >/dev/null
fi
[ -x "$generator" ] || { echo "mca_report: no generator executable $generator" >&2; exit 1; }

# The x86 targets the kernels are built for (CONVKIT_TARGETS of the release
# build), else cmake/ConvkitHalide.cmake's defaults.
# (A build not configured yet has no cache: `|| true`, the defaults then.)
x86_targets=$( (sed -n 's/^CONVKIT_TARGETS:STRING=//p' build/release/CMakeCache.txt 2>/dev/null || true) | tr ';' ' ')
[ -n "$x86_targets" ] || x86_targets="x86-64-linux-sse41-avx-f16c-fma-avx2-avx512-avx512_skylake
    x86-64-linux-sse41-avx-f16c-fma-avx2 x86-64-linux-sse41"
arm_target=$(sed -n 's/^CONVKIT_TARGETS:STRING=//p' build/arm64/CMakeCache.txt 2>/dev/null || true)
arm_target="${arm_target:-arm-64-linux}"

# isa model triple: what each ISA is measured on (sse41 has no FMA: skipped).
model_for() {
    case "$1" in
        *avx512*) echo "avx512 skylake-avx512 x86_64-linux-gnu" ;;
        *avx2*) echo "avx2 znver3 x86_64-linux-gnu" ;;
        arm-64*) echo "neon neoverse-n1 aarch64-linux-gnu" ;;
    esac
}

# Kernels: "name generator params..." from each convkit_add_kernel() call.
kernels=$(python3 - <<'EOF'
import re, shlex
text = open('generators/CMakeLists.txt').read()
for call in re.finditer(r'convkit_add_kernel\(([^"()]*(?:"[^"]*"[^"()]*)*)\)', text):
    words = shlex.split(call.group(1))
    name, params, generator, key = words[0], [], words[0], None
    for w in words[1:]:
        if w in ('LOWERING', 'GENERATOR', 'PARAMS', 'DESCRIPTION'):
            key = w
        elif key == 'GENERATOR':
            generator = w
        elif key == 'PARAMS':
            params.append(w)
    print(name, generator, *params)
EOF
)
[ -n "$kernels" ] || { echo "mca_report: no convkit_add_kernel() in generators/CMakeLists.txt" >&2; exit 1; }

work="$(dirname "$out")/mca"
mkdir -p "$work"
cases=() pids=()
while read -r kernel gen params; do
    for target in $x86_targets $arm_target; do
        read -r isa cpu triple < <(model_for "$target") || continue
        dir="$work/${kernel}_$isa"
        mkdir -p "$dir"
        # shellcheck disable=SC2086  # params: several key=value words
        "$generator" -g "$gen" -f "$gen" -e assembly,stmt -o "$dir" \
            "target=$target-no_runtime" $params &
        pids+=($!)
        cases+=("kernel=$kernel,isa=$isa,cpu=$cpu,triple=$triple,asm=$dir/$gen.s,stmt=$dir/$gen.stmt")
    done
done <<<"$kernels"
for pid in "${pids[@]}"; do
    wait "$pid" || { echo "mca_report: the generator failed (see above)" >&2; exit 1; }
done

status=0
python3 tools/asm_loops.py report --out "$out" --top "${MCA_TOP:-3}" --mca "$mca" "${cases[@]}" || status=$?
echo "mca_report: full report in $out"
exit $status
