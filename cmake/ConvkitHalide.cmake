# Halide discovery and the list of targets every kernel is compiled for.
#
# Halide 21 comes from the PyPI wheel in the project venv (tools/bootstrap.sh);
# pass -DHalide_ROOT=$(python -c 'import halide; print(halide.install_dir())')
# or configure from the presets, which do so.
find_package(Halide 21 REQUIRED)

# The one place that lists the targets kernels are built for. Each entry is a
# Halide target string; "host" means the machine that builds. Several entries
# produce one library per kernel with runtime dispatch among them (most
# capable first, baseline last).
set(CONVKIT_TARGETS "host" CACHE STRING "Halide targets for the kernels (;-separated)")

# A readable name of the first target, reported by the runtime as the ISA.
set(_convkit_first_target "${CONVKIT_TARGETS}")
list(GET _convkit_first_target 0 _convkit_first_target)
if (_convkit_first_target STREQUAL "host")
    # Spell out the host's features (the wheel ships get_host_target).
    find_program(CONVKIT_GET_HOST_TARGET get_host_target
                 HINTS "${Halide_DIR}/../../../bin" "${Halide_ROOT}/bin")
    if (CONVKIT_GET_HOST_TARGET)
        execute_process(COMMAND "${CONVKIT_GET_HOST_TARGET}" OUTPUT_VARIABLE _convkit_first_target
                        OUTPUT_STRIP_TRAILING_WHITESPACE)
    else ()
        set(_convkit_first_target "${Halide_HOST_TARGET}")
    endif ()
endif ()
# Short ISA name of a Halide target string, as the runtime reports it.
function(convkit_isa_name TARGET_STRING OUT)
    if (TARGET_STRING MATCHES "avx512")
        set(isa "x86-64-avx512")
    elseif (TARGET_STRING MATCHES "avx2")
        set(isa "x86-64-avx2")
    elseif (TARGET_STRING MATCHES "^x86-64")
        set(isa "x86-64-sse")
    elseif (TARGET_STRING MATCHES "^arm-64")
        set(isa "arm-64-neon")
    else ()
        string(REGEX MATCH "^[^-]+-[^-]+" isa "${TARGET_STRING}")
    endif ()
    set(${OUT} "${isa}" PARENT_SCOPE)
endfunction()
convkit_isa_name("${_convkit_first_target}" CONVKIT_ISA)
message(STATUS "convkit: kernels for ${CONVKIT_TARGETS} = ${_convkit_first_target} (${CONVKIT_ISA})")
