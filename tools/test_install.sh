#!/bin/sh
# The install test (ctest install_and_consume): installs a build into a
# prefix inside it, then configures, builds and runs examples/consumer, a
# separate project that finds the package with find_package(convkit).
#
# usage: test_install.sh <cmake> <build dir> <config> <generator> <c++ compiler>
#                        [<toolchain file> <emulator command...>]
# A cross build passes its toolchain file and emulator: the consumer is
# cross-compiled the same way and run under the emulator.
set -eu
cmake=$1 build=$2 config=$3 generator=$4 cxx=$5
shift 5
source_dir=$(cd "$(dirname "$0")/.." && pwd)
prefix=$build/install-test
consumer=$build/consumer-test

rm -rf "$prefix" "$consumer"
"$cmake" --install "$build" --config "$config" --prefix "$prefix" > /dev/null
echo "installed into $prefix:"
(cd "$prefix" && find . -type f |
    sed -E 's/libconvkit_.*_(avx512|avx2|sse41|neon)(_info)?\.a$/libconvkit_<kernel>_\1\2.a/' |
    sort | uniq -c)

# The package must not need Halide: no Halide target in its config.
config_dir=$(dirname "$(find "$prefix" -name convkitConfig.cmake)")
if grep -q "Halide::" "$config_dir"/*.cmake; then
    echo "test_install: the installed package refers to Halide targets" >&2
    exit 1
fi

cross=""
if [ $# -gt 0 ]; then
    # A toolchain's find root path hides CMAKE_PREFIX_PATH: name the package dir.
    cross="-DCMAKE_TOOLCHAIN_FILE=$1 -Dconvkit_DIR=$config_dir"
    shift
fi
"$cmake" -S "$source_dir/examples/consumer" -B "$consumer" -G "$generator" \
    -DCMAKE_BUILD_TYPE="$config" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_PREFIX_PATH="$prefix" $cross > /dev/null
"$cmake" --build "$consumer" > /dev/null
"$@" "$consumer/convkit_consumer"
