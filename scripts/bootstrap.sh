#!/bin/sh
# One command from a fresh Debian 12 machine to a result:
#   scripts/bootstrap.sh demo   install what is missing, build, convert the
#                               bundled example, show the diff, run it
#   scripts/bootstrap.sh test   install what is missing, build, run every test
# BUILD_DIR (default: build) and JOBS (default: all cores) can be set.
set -eu

mode=${1:-}
case "$mode" in
  demo|test) ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}

# Debian packages the build and the tests need. LLVM/Clang 22 come from
# Debian (bookworm-security carries them for Debian 12). The packs' tests
# build against libpq, SQLite and hiredis and start their own PostgreSQL
# and Redis servers.
packages="cmake ninja-build g++ python3 ccache llvm-22-dev libclang-22-dev
  clang-22 clang-tidy-22 clang-tools-22 llvm-22-tools libfmt-dev liburing-dev
  libgtest-dev graphviz libpq-dev postgresql-15 libsqlite3-dev
  libhiredis-dev redis-server libssl-dev"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "bootstrap: installing:$missing"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
fi

launcher=""
command -v ccache >/dev/null && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release $launcher
cmake --build "$build" -j "$jobs"

case "$mode" in
  demo) exec "$root/scripts/demo.sh" "$build" ;;
  test) exec ctest --test-dir "$build" --output-on-failure -j "$jobs" ;;
esac
