#!/usr/bin/env bash
# Prepares everything tools/bochs/run_in_bochs.sh needs, only what is missing,
# and prints nothing when everything is already there. Safe to run any number
# of times, also concurrently (the kit is prepared under a lock).
#   Debian packages: bochs, bochsbios (BIOS + VGA BIOS), genisoimage, cpio, gcc.
#   Kit (${CONVKIT_BOCHS_KIT:-<repo>/.cache/bochs-kit}, about 9 MB):
#     vmlinuz       Debian's own amd64 kernel (from the linux-image-amd64 dependency)
#     isolinux.bin  boot loader for the ISO (package isolinux)
#     ldlinux.c32   isolinux's core module (package syslinux-common)
#     init          tools/bochs/mini_init.c, compiled static; rebuilt when the source changes
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kit="${CONVKIT_BOCHS_KIT:-$root/.cache/bochs-kit}"

APT_PACKAGES=(bochs bochsbios genisoimage cpio gcc libc6-dev)
# Extracted from these .debs with `apt-get download` + `dpkg-deb -x` (not installed).
KIT_DEBS=(isolinux syslinux-common)   # + the kernel package, resolved below

log() { echo "bochs/setup: $*" >&2; }

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
apt_updated=0
apt_update_once() {
    [ "$apt_updated" -eq 1 ] && return 0
    $sudo apt-get update -qq >/dev/null
    apt_updated=1
}

install_apt_packages() {
    local p missing=()
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    apt_update_once
    local out
    if ! out=$(DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" 2>&1); then
        echo "$out" >&2
        return 1
    fi
}

# Name of the versioned kernel package behind the linux-image-amd64 metapackage,
# e.g. linux-image-6.1.0-56-amd64 (that one holds /boot/vmlinuz-*).
kernel_package() {
    apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}

prepare_boot_files() {
    [ -f "$kit/vmlinuz" ] && [ -f "$kit/isolinux.bin" ] && [ -f "$kit/ldlinux.c32" ] && return 0
    local kpkg
    kpkg=$(kernel_package)
    if [ -z "$kpkg" ]; then
        apt_update_once
        kpkg=$(kernel_package)
    fi
    [ -n "$kpkg" ] || { log "cannot resolve the kernel behind linux-image-amd64"; return 1; }
    log "preparing $kit from $kpkg ${KIT_DEBS[*]} (about 70 MB download, 9 MB kept)"
    local tmp
    tmp=$(mktemp -d "$kit/prep.XXXXXX")
    # apt-get download runs as the _apt user where it can: make the folder writable for it.
    chmod 777 "$tmp"
    (cd "$tmp" && apt-get download -qq "$kpkg" "${KIT_DEBS[@]}" >/dev/null 2>&1) || {
        rm -rf "$tmp"
        log "apt-get download $kpkg ${KIT_DEBS[*]} failed"
        return 1
    }
    local deb
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/x"; done
    cp "$tmp"/x/boot/vmlinuz-* "$kit/vmlinuz.new" && mv "$kit/vmlinuz.new" "$kit/vmlinuz"
    cp "$tmp/x/usr/lib/ISOLINUX/isolinux.bin" "$kit/isolinux.bin"
    cp "$tmp/x/usr/lib/syslinux/modules/bios/ldlinux.c32" "$kit/ldlinux.c32"
    echo "$kpkg" > "$kit/kernel-package"
    rm -rf "$tmp"
}

build_init() {
    [ -x "$kit/init" ] && [ "$kit/init" -nt "$here/mini_init.c" ] && return 0
    gcc -O2 -Wall -static "$here/mini_init.c" -o "$kit/init.new"
    mv "$kit/init.new" "$kit/init"
}

install_apt_packages
mkdir -p "$kit"
exec 9> "$kit/.lock"
flock 9
prepare_boot_files
build_init
