# `cmake --install <build> --prefix <P>` installs a CMake package:
#   P/include/convkit/convkit.h
#   P/lib/libconvkit.a, libconvkit_<kernel>_<isa>[_info].a, libconvkit_halide_runtime.a
#   P/lib/cmake/convkit/convkitConfig.cmake (+ version file)
# so that a project writes find_package(convkit) and links convkit::convkit.
#
# The Halide-made libraries cannot be exported with install(EXPORT):
# add_halide_library/add_halide_runtime create imported targets when Halide
# cross-compiles a target triple, and their interface names Halide::Runtime
# (Halide's headers), which consumers must not need. So the libraries are
# installed as files and convkitConfig.cmake declares imported targets for
# them itself, with the link order (runtime -> kernels -> Halide runtime ->
# pthread, dl) as their INTERFACE_LINK_LIBRARIES.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CONVKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/convkit" CACHE STRING
    "Where the convkit CMake package files go, relative to the install prefix")

# Installs a library target's file as lib<name>.a whatever the target's own
# file name (imported Halide libraries lack the "lib" prefix).
function(convkit_install_library TARGET)
    install(FILES "$<TARGET_FILE:${TARGET}>" DESTINATION "${CMAKE_INSTALL_LIBDIR}"
            RENAME "${CMAKE_STATIC_LIBRARY_PREFIX}${TARGET}${CMAKE_STATIC_LIBRARY_SUFFIX}")
endfunction()

install(DIRECTORY "${PROJECT_SOURCE_DIR}/runtime/include/convkit"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
get_property(convkit_installed_kernel_libs GLOBAL PROPERTY CONVKIT_KERNEL_LIBS)
foreach (lib IN ITEMS convkit convkit_halide_runtime ${convkit_installed_kernel_libs})
    convkit_install_library(${lib})
endforeach ()

# Read by convkitConfig.cmake.in.
list(JOIN convkit_installed_kernel_libs "\n            " CONVKIT_CONFIG_KERNEL_LIBS)
configure_package_config_file(
    "${CMAKE_CURRENT_LIST_DIR}/convkitConfig.cmake.in"
    "${PROJECT_BINARY_DIR}/package/convkitConfig.cmake"
    INSTALL_DESTINATION "${CONVKIT_INSTALL_CMAKEDIR}"
    PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
# 0.x: minor versions may break the API.
write_basic_package_version_file(
    "${PROJECT_BINARY_DIR}/package/convkitConfigVersion.cmake"
    COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/package/convkitConfig.cmake"
              "${PROJECT_BINARY_DIR}/package/convkitConfigVersion.cmake"
        DESTINATION "${CONVKIT_INSTALL_CMAKEDIR}")
