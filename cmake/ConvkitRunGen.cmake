# Halide's RunGen driver for every kernel: convkit_<kernel>_<isa>.rungen runs
# one kernel library from the command line with Halide's usual flags
# (--describe, name=value arguments, --benchmarks=all; docs/ of the Halide
# wheel: RunGen.md). add_halide_library writes each kernel's registration
# .cpp (REGISTRATION in convkit_add_kernel); Halide::RunGenMain supplies main().
#
# Built for one ISA, CONVKIT_RUNGEN_ISA: by default the best one of
# CONVKIT_ISAS that the build machine runs. Off when cross-compiling (the
# tools would not run here).
if (CMAKE_CROSSCOMPILING)
    set(_convkit_rungen_default OFF)
else ()
    set(_convkit_rungen_default ON)
endif ()
option(CONVKIT_BUILD_RUNGEN "Build Halide RunGen tools for the kernels" ${_convkit_rungen_default})
if (NOT CONVKIT_BUILD_RUNGEN)
    return()
endif ()

# Whether the build machine's CPU runs an ISA (Linux /proc/cpuinfo flags; on
# other systems only the baseline, the last ISA, is assumed to run).
function(convkit_build_machine_runs ISA OUT)
    set(required_flags_avx512 avx512f avx512cd avx512bw avx512dq avx512vl)
    set(required_flags_avx2 avx avx2 fma f16c)
    set(required_flags_sse41 sse4_1)
    set(required_flags_neon asimd)
    set(runs OFF)
    if (EXISTS /proc/cpuinfo)
        file(STRINGS /proc/cpuinfo flags REGEX "^(flags|Features)" LIMIT_COUNT 1)
        set(runs ON)
        foreach (flag IN LISTS required_flags_${ISA})
            if (NOT flags MATCHES "[ \t]${flag}( |$)")
                set(runs OFF)
            endif ()
        endforeach ()
    endif ()
    set(${OUT} ${runs} PARENT_SCOPE)
endfunction()

list(GET CONVKIT_ISAS -1 _convkit_rungen_isa)
foreach (isa IN LISTS CONVKIT_ISAS)  # best first
    convkit_build_machine_runs(${isa} runs)
    if (runs)
        set(_convkit_rungen_isa ${isa})
        break()
    endif ()
endforeach ()
set(CONVKIT_RUNGEN_ISA "${_convkit_rungen_isa}" CACHE STRING
    "ISA of the kernels that get a RunGen tool (one of CONVKIT_ISAS)")

# RunGenMain.cpp, compiled once for all the tools.
add_library(convkit_rungen_main STATIC)
target_link_libraries(convkit_rungen_main PRIVATE Halide::RunGenMain)

get_property(kernel_libs GLOBAL PROPERTY CONVKIT_KERNEL_LIBS)
list(FILTER kernel_libs INCLUDE REGEX "_${CONVKIT_RUNGEN_ISA}$")  # not the _info pipelines
foreach (lib IN LISTS kernel_libs)
    get_property(registration_cpp TARGET ${lib} PROPERTY CONVKIT_REGISTRATION_CPP)
    add_executable(${lib}.rungen ${registration_cpp})
    target_link_libraries(${lib}.rungen PRIVATE convkit_rungen_main ${lib})
    set_target_properties(${lib}.rungen PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/rungen")
endforeach ()
message(STATUS "convkit: RunGen tools for the ${CONVKIT_RUNGEN_ISA} kernels in ${PROJECT_BINARY_DIR}/rungen")

if (CONVKIT_BUILD_TESTS AND TARGET convkit_direct_dw_${CONVKIT_RUNGEN_ISA}.rungen)
    add_test(NAME rungen_direct_dw
             COMMAND ${PROJECT_SOURCE_DIR}/tools/test_rungen.sh
                     $<TARGET_FILE:convkit_direct_dw_${CONVKIT_RUNGEN_ISA}.rungen>)
endif ()
