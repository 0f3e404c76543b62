#!/bin/sh
# The fuzz targets' smoke runs, as the test suite runs them (ctest entry
# fuzz-smoke): configures a build tree of their own (clang++-22, libFuzzer,
# ASan + UBSan; see fuzz/CMakeLists.txt), builds the four targets and runs
# each one's smoke test. The long campaign is scripts/fuzz-campaign.sh.
#   scripts/fuzz-smoke.sh BUILD_DIR [JOBS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: $0 BUILD_DIR [JOBS]}
jobs=${2:-2}
launcher=""
command -v ccache >/dev/null && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
cmake -S "$root" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER=clang++-22 -DCMAKE_C_COMPILER=clang-22 \
  -DVINYL_FUZZ=ON -DBUILD_TESTING=OFF $launcher >/dev/null
cmake --build "$out" -j "$jobs" --target vinyl-fuzzers
exec ctest --test-dir "$out/fuzz" -L fuzz --output-on-failure
