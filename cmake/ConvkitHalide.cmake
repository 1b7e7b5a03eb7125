# Halide discovery and the list of targets every kernel is compiled for.
#
# Halide 21 comes from the PyPI wheel in the project venv (tools/bootstrap.sh);
# pass -DHalide_ROOT=$(python -c 'import halide; print(halide.install_dir())')
# or configure from the presets, which do so. Halide lives on the build machine
# also when cross-compiling; a cross build imports the generators built by a
# host build (-Dconvkit-halide_generators_ROOT=<host build dir>).
set(_convkit_package_mode "${CMAKE_FIND_ROOT_PATH_MODE_PACKAGE}")
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)  # Halide and its HalideHelpers
find_package(Halide 21 REQUIRED)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE "${_convkit_package_mode}")

# The x86 feature sets, spelled out: Halide features do not imply one another
# (a lone avx512_sapphirerapids gives 8-wide code).
# no_asserts on AVX-512: LLVM evaluates Halide's many argument checks with
# 16-bit opmask shifts by 15 (kshiftlw/kshiftrw $15), which bochs 2.7 executes
# as zero (its avx512_mask16.cc shifts only `if (count < 15)`), so the checked
# kernels cannot be tested in the bochs guest. The runtime validates every
# argument before a call, and the other ISAs keep Halide's checks, which the
# tests exercise with the same buffer views.
set(CONVKIT_X86_AVX512 "sse41-avx-f16c-fma-avx2-avx512-avx512_skylake-no_asserts")
set(CONVKIT_X86_AVX2 "sse41-avx-f16c-fma-avx2")

# The one place that lists the targets kernels are built for: any Halide
# target strings, ;-separated. Each kernel is compiled once per target into its
# own library; the runtime picks the best one the CPU supports (or the one a
# plan forces) among those of the architecture it was built for.
if (Halide_CMAKE_TARGET MATCHES "^arm-64")
    set(_convkit_default_targets "${Halide_CMAKE_TARGET}")
else ()
    set(_convkit_default_targets
        "${Halide_CMAKE_TARGET}-${CONVKIT_X86_AVX512}"
        "${Halide_CMAKE_TARGET}-${CONVKIT_X86_AVX2}"
        "${Halide_CMAKE_TARGET}-sse41")
endif ()
set(CONVKIT_TARGETS "${_convkit_default_targets}" CACHE STRING
    "Halide targets for the kernels (;-separated, e.g. x86-64-linux-avx2-fma-f16c-sse41;arm-64-android)")

# The ISA a Halide target string runs on, as the runtime names it. Each target
# of CONVKIT_TARGETS must map to a different ISA.
function(convkit_isa_name TARGET_STRING OUT)
    if (TARGET_STRING MATCHES "avx512")
        set(isa "avx512")
    elseif (TARGET_STRING MATCHES "avx2")
        set(isa "avx2")
    elseif (TARGET_STRING MATCHES "^x86-64")
        set(isa "sse41")
    elseif (TARGET_STRING MATCHES "^arm-64")
        set(isa "neon")
    else ()
        message(FATAL_ERROR "convkit: no ISA name for target '${TARGET_STRING}'")
    endif ()
    set(${OUT} "${isa}" PARENT_SCOPE)
endfunction()

set(_convkit_isas "")
foreach (target IN LISTS CONVKIT_TARGETS)
    convkit_isa_name("${target}" isa)
    if (isa IN_LIST _convkit_isas)
        message(FATAL_ERROR "convkit: two targets of CONVKIT_TARGETS run on ISA '${isa}'")
    endif ()
    list(APPEND _convkit_isas "${isa}")
endforeach ()
set(CONVKIT_ISAS "${_convkit_isas}")
message(STATUS "convkit: kernels for ${CONVKIT_TARGETS} (ISAs ${CONVKIT_ISAS})")

# The runtime is shared by all kernels and built for the last (baseline) target.
list(GET CONVKIT_TARGETS -1 CONVKIT_RUNTIME_TARGET)
