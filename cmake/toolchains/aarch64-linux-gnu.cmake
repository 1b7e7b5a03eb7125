# Cross-compiling convkit for 64-bit ARM Linux with Debian's aarch64-linux-gnu
# toolchain. The generators come from a host build
# (-Dconvkit-halide_generators_ROOT=<host build dir>, as the arm64 preset does),
# and ctest runs the tests under qemu-aarch64.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # host tools (generators, qemu)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)   # arm64 libraries from the sysroot
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# gtest_discover_tests and ctest prefix every test executable with this.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
