#!/usr/bin/env bash
# Fails when the convkit AVX-512 kernels in a static binary contain a 16-bit
# opmask shift by 15 (kshiftlw/kshiftrw $0xf): bochs 2.7 executes those as
# zero (avx512_mask16.cc: `if (count < 15)`), so a bochs run of such code
# fails for the emulator's sake, not the kernel's.
# Usage: tools/bochs/check_binary.sh STATIC_BINARY
set -euo pipefail
hits=$(objdump -d --no-show-raw-insn "$1" |
       awk '/^[0-9a-f]+ <.*>:$/ { fn = $2 } fn ~ /^<convkit_.*avx512/ && /kshift[lr]w +\$0xf,/ { print fn }' |
       sort | uniq -c)
if [ -n "$hits" ]; then
    echo "check_binary: AVX-512 kernels use kshiftlw/kshiftrw \$15, which bochs 2.7 mis-executes:" >&2
    echo "$hits" >&2
    exit 1
fi
