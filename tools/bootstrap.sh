#!/usr/bin/env bash
# Installs what convkit needs, only what is missing, and prints nothing when
# everything is already there. Safe to run any number of times.
#   Debian packages: GoogleTest, libpng, a C++ compiler, oneDNN (the
#   benchmark's peer) and matplotlib (`convkit plot`); for the cross-ISA
#   tests the aarch64 cross compiler and qemu-user (NEON), llvm-19 (llvm-mca),
#   and bochs with a boot kit (AVX-512, tools/bochs/setup.sh); clang with its
#   sanitizer and libFuzzer runtimes (tools/sanitize.sh).
#   Project venv (.venv): Halide 21.0.0 (full C++ SDK), CMake >= 3.28, Ninja.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"

APT_PACKAGES=(g++ libgtest-dev libpng-dev python3-venv g++-aarch64-linux-gnu qemu-user llvm-19
              clang libclang-rt-14-dev libdnnl-dev python3-matplotlib)
PIP_PACKAGES=("halide==21.0.0" "cmake>=3.28,<5" "ninja")

log() { echo "bootstrap: $*" >&2; }

missing_apt_packages() {
    local p
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
    done
}

install_apt_packages() {
    local missing
    missing=$(missing_apt_packages)
    [ -z "$missing" ] && return 0
    log "installing Debian packages: $missing"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

venv_is_complete() {
    [ -x "$venv/bin/python" ] && [ -x "$venv/bin/cmake" ] && [ -x "$venv/bin/ninja" ] &&
        "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("halide") != "21.0.0")' 2>/dev/null
}

install_venv() {
    if ! venv_is_complete; then
        log "creating $venv with ${PIP_PACKAGES[*]}"
        [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check "${PIP_PACKAGES[@]}"
    fi
    # A fixed path to the Halide SDK, for CMakePresets.json (Halide_ROOT).
    local sdk
    sdk=$("$venv/bin/python" -c 'import halide; print(halide.install_dir())')
    [ "$(readlink "$venv/halide" 2>/dev/null)" = "$sdk" ] || ln -sfn "$sdk" "$venv/halide"
}

install_apt_packages
install_venv
[ "$(uname -m)" = x86_64 ] && bash "$root/tools/bochs/setup.sh"
exit 0
