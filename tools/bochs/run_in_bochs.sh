#!/usr/bin/env bash
# Runs a STATIC x86-64 Linux binary inside a Linux guest booted by bochs with an
# AVX-512 CPU model, so AVX-512 code can be tested on any x86-64 host.
#
# Usage: tools/bochs/run_in_bochs.sh [-m CPU_MODEL] BINARY [ARGS...]
#   Exit code: the binary's exit code (128 + N if killed by signal N);
#   125 when the harness itself fails (the serial log tail goes to stderr).
#   The binary's output (the guest console between the CONVKIT-BEGIN and
#   CONVKIT-EXIT markers) is printed on stdout when the guest is done.
#   Arguments must not contain newlines. The guest has 1 CPU and no network.
#
# CPU_MODEL: corei7_skylake_x (default: AVX-512 F/CD/BW/DQ/VL) or corei3_cnl
#   (adds IFMA/VBMI); `bochs -help cpu` lists all. The icelake/tigerlake
#   models were seen to hang while Linux boots.
# Environment:
#   CONVKIT_BOCHS_KIT      kit folder (default <repo>/.cache/bochs-kit), see setup.sh
#   CONVKIT_BOCHS_TIMEOUT  seconds before the guest is given up (default 1800)
#
# Cost: about 2 minutes of boot, plus the binary's own time, which runs a few
# hundred times slower than native (float math is emulated in software):
# keep to one run per test executable, with a small workload.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kit="${CONVKIT_BOCHS_KIT:-$root/.cache/bochs-kit}"
timeout_s="${CONVKIT_BOCHS_TIMEOUT:-1800}"
HARNESS_FAILURE=125

fail() { echo "run_in_bochs: $*" >&2; exit "$HARNESS_FAILURE"; }

model=corei7_skylake_x
if [ "${1:-}" = -m ]; then
    [ $# -ge 2 ] || fail "-m needs a CPU model"
    model=$2
    shift 2
fi
[ "${1:-}" = -- ] && shift
[ $# -ge 1 ] || fail "usage: $0 [-m CPU_MODEL] BINARY [ARGS...]"
bin=$1
shift
[ -f "$bin" ] || fail "$bin: no such file"
readelf -h "$bin" 2>/dev/null | grep -q 'Machine:.*X86-64' || fail "$bin: not an x86-64 ELF binary"
readelf -lW "$bin" | grep -q 'Requesting program interpreter' && fail "$bin: not statically linked (build it with -static)"
for a in "$@"; do
    case $a in *$'\n'*) fail "arguments must not contain newlines" ;; esac
done

"$here/setup.sh" >&2 || fail "setup.sh failed"

# Work folders of runs that were killed (SIGKILL skips the cleanup below).
for old in "$kit"/run.*; do
    [ -f "$old/owner.pid" ] && ! kill -0 "$(cat "$old/owner.pid")" 2>/dev/null && rm -rf "$old"
done
work=$(mktemp -d "$kit/run.XXXXXX")
echo $$ > "$work/owner.pid"
bochs_pid=""
stop_bochs() {
    [ -n "$bochs_pid" ] || return 0
    kill "$bochs_pid" 2>/dev/null || true # the timeout process passes it on to bochs
    wait "$bochs_pid" 2>/dev/null || true
    bochs_pid=""
}
# shellcheck disable=SC2317  # (reached through the trap)
cleanup() {
    stop_bochs
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit $HARNESS_FAILURE' INT TERM HUP

# --- initramfs: /init (mini_init.c), /test, /args (one argument per line) ---
mkdir -p "$work/root" "$work/iso/isolinux"
cp "$kit/init" "$work/root/init"
cp "$bin" "$work/root/test"
chmod 755 "$work/root/test"
: > "$work/root/args"
for a in "$@"; do printf '%s\n' "$a" >> "$work/root/args"; done
# Uncompressed: in the emulator, decompressing would cost more than it saves.
(cd "$work/root" && find . | cpio -o -H newc -R 0:0 --quiet > "$work/iso/initramfs.cpio")

# --- bootable ISO: isolinux loads the kernel and the initramfs ---
cp "$kit/vmlinuz" "$work/iso/vmlinuz"
cp "$kit/isolinux.bin" "$kit/ldlinux.c32" "$work/iso/isolinux/"
# clearcpuid=xsaves,xsavec: bochs 2.7 reports a wrong size for the compacted
#   XSAVE format; pku,ospke: the PKU models report an empty PKRU xstate leaf.
#   Either makes Linux disable the AVX/AVX-512 state ("XSAVE consistency
#   problem"), and then every AVX-512 instruction faults.
# panic=0: on a kernel panic stay halted (the watch loop below notices), rather
#   than reboot into the same panic until the timeout.
cat > "$work/iso/isolinux/isolinux.cfg" <<EOF
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  APPEND initrd=/initramfs.cpio console=ttyS0,115200 quiet loglevel=1 clearcpuid=xsaves,xsavec,pku,ospke panic=0 mitigations=off lpj=2000000 tsc=reliable
EOF
genisoimage -quiet -o "$work/boot.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table -J -R "$work/iso"

# --- bochs configuration ---
# display: Debian's bochs has no "nogui"; rfb with timeout=0 does not wait for a
#   VNC client (it takes a free port from 5900 up).
# sound: without it bochs loads its ALSA driver, and on a host with no sound
#   card it aborts at startup with "*** buffer overflow detected ***".
# clock: sync=none runs the guest as fast as it can be emulated, with virtual time.
cat > "$work/bochsrc" <<EOF
megs: 1024
cpu: model=$model, count=1, ips=100000000, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path=$work/boot.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$work/serial.txt
display_library: rfb, options="timeout=0"
sound: driver=dummy
clock: sync=none, time0=946684800
log: $work/bochs.log
panic: action=fatal
error: action=ignore
info: action=ignore
debug: action=ignore
EOF
# Debian's bochs is built with the internal debugger, which stops at its
# prompt before the first instruction: "c" = continue.
echo c > "$work/debugger.rc"

# --- run, watching the serial log ---
: > "$work/serial.txt"
# The outer timeout only matters if this script is killed without its cleanup.
timeout -s KILL $((timeout_s + 60)) \
    bochs -q -f "$work/bochsrc" -rc "$work/debugger.rc" < /dev/null > "$work/bochs.out" 2>&1 &
bochs_pid=$!
started_at=$SECONDS
deadline=$((SECONDS + timeout_s))
begin_seen_at=""
exit_seen_at=""
problem=""
while kill -0 "$bochs_pid" 2>/dev/null; do
    if [ -z "$begin_seen_at" ] && grep -q 'CONVKIT-BEGIN' "$work/serial.txt"; then
        begin_seen_at=$SECONDS
    fi
    if [ -z "$exit_seen_at" ] && grep -q 'CONVKIT-EXIT [0-9]' "$work/serial.txt"; then
        exit_seen_at=$SECONDS
    fi
    if [ -n "$exit_seen_at" ] && [ $((SECONDS - exit_seen_at)) -gt 30 ]; then
        break # done, but did not power off: no need to wait for it
    fi
    if [ -z "$exit_seen_at" ] && grep -q 'Kernel panic' "$work/serial.txt"; then
        problem="the guest kernel panicked"
        break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        problem="timed out after ${timeout_s} s (CONVKIT_BOCHS_TIMEOUT)"
        break
    fi
    sleep 1
done
stop_bochs
: "${exit_seen_at:=$SECONDS}" "${begin_seen_at:=$exit_seen_at}" # bochs ended between two polls

# --- report: the binary's output, then its exit code ---
tr -d '\r' < "$work/serial.txt" | awk '
    inside && /CONVKIT-EXIT [0-9]+$/ { sub(/CONVKIT-EXIT [0-9]+$/, ""); if ($0 != "") print; exit }
    inside { print }
    /CONVKIT-BEGIN$/ { inside = 1 }'
code=$(tr -d '\r' < "$work/serial.txt" | sed -n 's/.*CONVKIT-EXIT \([0-9]\{1,3\}\)$/\1/p' | tail -n 1)
if [ -z "$code" ]; then
    {
        echo "run_in_bochs: ${problem:-bochs exited without an exit marker}; the serial log ends with:"
        tail -c 3000 "$work/serial.txt"
        echo "run_in_bochs: bochs output ends with:"
        tail -n 10 "$work/bochs.out"
    } >&2
    exit "$HARNESS_FAILURE"
fi
# Where the time went (1 s resolution), e.g. to budget ctest timeouts.
echo "run_in_bochs: $model: boot $((begin_seen_at - started_at)) s," \
    "binary $((exit_seen_at - begin_seen_at)) s, exit code $code" >&2
exit "$code"
