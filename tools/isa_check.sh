#!/usr/bin/env bash
# Static check that each per-ISA kernel library really contains its ISA's
# vector FMAs, and nothing wider than its ISA allows:
#   avx512  FMAs on zmm registers
#   avx2    FMAs on ymm registers; no zmm, no EVEX-only registers (k0-7, x/ymm16-31)
#   sse41   packed SSE multiplies; no ymm/zmm and no VEX/EVEX (v-prefixed) instructions
#   neon    fmla on v*.4s
# Prints one row per library (vector FMAs counted by register width) and
# exits 1, naming each violation, if any library breaks its ISA's rule.
#
# Usage: tools/isa_check.sh [BUILD_GENERATORS_DIR...]
#   default: build/release/generators and, if it exists, build/arm64/generators
#   (libconvkit_<kernel>_<isa>.a; the _info libraries and the runtime are skipped)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
    dirs=(build/release/generators)
    [ -d build/arm64/generators ] && dirs+=(build/arm64/generators)
fi

# objdump of one ISA's libraries; aarch64 needs binutils-aarch64-linux-gnu.
objdump_for() {
    case "$1" in
        neon) echo aarch64-linux-gnu-objdump ;;
        *) echo objdump ;;
    esac
}

# Counts, from `objdump -d` on stdin, separated by spaces:
#   insns fma64 fma128 fma256 fma512 ymm zmm evex vex packed_mul
# fmaNNN: vector FMAs by destination width (x86: xmm/ymm/zmm; AArch64:
# fmla/fmls on .2s = 64, .4s/.2d = 128); ymm/zmm: instructions naming such
# registers; evex: instructions naming k-masks or x/ymm16-31; vex: v-prefixed
# x86 instructions; packed_mul: mulps/mulpd (SSE) or fmul on vectors.
# (Plain POSIX awk: Debian's default is mawk.)
# shellcheck disable=SC2016  # an awk program: its $ are awk's
count_awk='
    /^ *[0-9a-f]+:\t/ {
        insn = substr($0, index($0, "\t") + 1); sub(/[ \t]*(#|\/\/).*$/, "", insn); n++
        split(insn, w, /[ \t]+/); op = w[1]
        dest = insn; sub(/^.*,/, "", dest)    # AT&T: the destination is the last operand
        if (op ~ /^v?fn?m(add|sub)(sub|add)?(132|213|231)p[sd]$/) {
            if (dest ~ /%zmm/) fma512++
            else if (dest ~ /%ymm/) fma256++
            else fma128++
        }
        if (op ~ /^fml[as]$/ && insn ~ /v[0-9]+\.(2s)/) fma64++
        else if (op ~ /^fml[as]$/ && insn ~ /v[0-9]+\.(4s|2d)/) fma128++
        if (insn ~ /%ymm/) ymm++
        if (insn ~ /%zmm/) zmm++
        if (insn ~ /%k[0-7]|%[xy]mm(1[6-9]|2[0-9]|3[01])([^0-9]|$)/) evex++
        if (op ~ /^v[a-z]/ && insn ~ /%[xyz]mm/) vex++
        if (op ~ /^mulp[sd]$/ || (op == "fmul" && insn ~ /v[0-9]+\./)) mul++
    }
    END { printf "%d %d %d %d %d %d %d %d %d %d\n", n, fma64, fma128, fma256, fma512, ymm, zmm, evex, vex, mul }'

violations=()
rows=()
for dir in "${dirs[@]}"; do
    if [ ! -d "$dir" ]; then
        violations+=("$dir: no such directory (build first: cmake --build --preset release)")
        continue
    fi
    found=0
    for lib in "$dir"/libconvkit_*.a; do
        [ -e "$lib" ] || continue
        name=$(basename "$lib" .a)
        case "$name" in *_info | libconvkit_halide_runtime) continue ;; esac
        isa=${name##*_}
        case "$isa" in avx512 | avx2 | sse41 | neon) ;; *) continue ;; esac
        found=$((found + 1))
        tool=$(objdump_for "$isa")
        if ! command -v "$tool" >/dev/null; then
            violations+=("$lib: $tool not found (apt-get install binutils-aarch64-linux-gnu)")
            continue
        fi
        read -r insns fma64 fma128 fma256 fma512 ymm zmm evex vex mul < <(
            "$tool" -d --no-show-raw-insn "$lib" | awk "$count_awk")
        bad=()
        [ "$insns" -gt 0 ] || bad+=("$tool disassembled no instructions (library of another architecture?)")
        case "$isa" in
            avx512)
                [ "$fma512" -gt 0 ] || bad+=("no vector FMA on zmm registers") ;;
            avx2)
                [ "$fma256" -gt 0 ] || bad+=("no vector FMA on ymm registers")
                [ "$zmm" -eq 0 ] || bad+=("$zmm instructions use zmm registers")
                [ "$evex" -eq 0 ] || bad+=("$evex instructions use AVX-512-only registers (k masks, x/ymm16-31)") ;;
            sse41)
                [ "$mul" -gt 0 ] || bad+=("no packed SSE multiply (mulps): not vectorized")
                [ "$ymm" -eq 0 ] || bad+=("$ymm instructions use ymm registers")
                [ "$zmm" -eq 0 ] || bad+=("$zmm instructions use zmm registers")
                [ "$vex" -eq 0 ] || bad+=("$vex VEX/EVEX-encoded (v-prefixed) instructions, illegal on SSE4.1-only CPUs") ;;
            neon)
                [ "$fma128" -gt 0 ] || bad+=("no fmla on v*.4s") ;;
        esac
        verdict=ok
        if [ ${#bad[@]} -gt 0 ]; then
            verdict=FAIL
            for b in "${bad[@]}"; do violations+=("$lib ($isa): $b"); done
        fi
        rows+=("$lib|$isa|$insns|$fma64|$fma128|$fma256|$fma512|$mul|$ymm|$zmm|$verdict")
    done
    [ "$found" -gt 0 ] || violations+=("$dir: no libconvkit_<kernel>_<isa>.a kernel library")
done

{
    echo "library|isa|insns|fma64|fma128|fma256|fma512|vec mul|ymm insns|zmm insns|check"
    for r in "${rows[@]}"; do echo "$r"; done
} | column -t -s '|'
echo "(fmaNNN: vector FMA instructions by register width; vec mul: mulps/mulpd or vector fmul;"
echo " ymm/zmm insns: instructions naming such registers)"

if [ ${#violations[@]} -gt 0 ]; then
    echo >&2
    echo "isa_check: ${#violations[@]} violation(s):" >&2
    for v in "${violations[@]}"; do echo "  $v" >&2; done
    exit 1
fi
echo "isa_check: all ${#rows[@]} kernel libraries use their ISA's vector FMAs (sse41: packed mul/add) and nothing wider"
