#!/bin/sh
# Builds the chain benchmark with g++ and clang++-22 (direct compiler calls,
# one translation unit per level, -O2, one compile at a time) and runs each
# build. Arguments are passed to the benchmark:
#   bench/run.sh [calls per run] [runs] [read size in bytes]
#
# Link-time optimisation, off by default (see "With link-time optimisation"
# in docs/benchmarks.md):
#   VINYL_BENCH_LTO=thin  g++ -flto; clang++-22 -flto=thin, linked by lld 22
#                         with ThinLTO's import limit raised to
#                         $VINYL_BENCH_IMPORT_LIMIT instructions (default
#                         1000), so that each level's coroutine is imported
#                         into its caller and Clang can elide its frame
#   VINYL_BENCH_LTO=full  g++ -flto; clang++-22 -flto (full), linked by lld 22
# clang++-22's LTO needs lld 22 (Debian: lld-22); an older ld.lld cannot read
# its bitcode.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
# Build directory: $VINYL_BENCH_DIR if set (kept), else a temporary one.
if [ -n "${VINYL_BENCH_DIR:-}" ]; then
  out=$VINYL_BENCH_DIR
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

lto=${VINYL_BENCH_LTO:-0}
case $lto in
  0 | '' | thin | full) ;;
  *)
    echo "VINYL_BENCH_LTO must be thin, full or 0, not '$lto'" >&2
    exit 2
    ;;
esac
if [ "$lto" = thin ] || [ "$lto" = full ]; then
  if ! [ -x /usr/lib/llvm-22/bin/ld.lld ]; then
    echo "VINYL_BENCH_LTO=$lto needs lld 22 (/usr/lib/llvm-22/bin/ld.lld)" >&2
    exit 2
  fi
fi

for cxx in g++ clang++-22; do
  # cflags go to every compile and to the link, lflags to the link only.
  cflags='' lflags='' tag=''
  case $lto-$cxx in
    thin-g++ | full-g++)
      # -flto=1: the link's LTO stage runs as one job.
      cflags=-flto lflags=-flto=1 tag=-lto ;;
    thin-clang++-22)
      cflags=-flto=thin tag=-thinlto
      lflags="-fuse-ld=lld -Wl,-mllvm,-import-instr-limit=${VINYL_BENCH_IMPORT_LIMIT:-1000}" ;;
    full-clang++-22)
      cflags=-flto lflags=-fuse-ld=lld tag=-fulllto ;;
  esac
  objs=
  for src in "$here"/*.cpp; do
    obj="$out/$cxx$tag-$(basename "$src" .cpp).o"
    # shellcheck disable=SC2086 # $cflags is a list of flags
    "$cxx" -std=c++20 -O2 $cflags -Wall -Wextra -Werror \
      -I"$root/runtime/include" -c "$src" -o "$obj"
    objs="$objs $obj"
  done
  # shellcheck disable=SC2086 # word splitting of $objs and the flags is intended
  "$cxx" -O2 $cflags $lflags $objs -o "$out/bench_chain-$cxx$tag"
  echo "== $cxx$tag"
  "$out/bench_chain-$cxx$tag" "$@"
done
