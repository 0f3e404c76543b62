#!/bin/sh
# Builds the chain benchmark with g++ and clang++-22 (direct compiler calls,
# one translation unit per level, -O2, no LTO, one compile at a time) and runs
# each build. Arguments are passed to the benchmark:
#   bench/run.sh [calls per run] [runs] [read size in bytes]
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

for cxx in g++ clang++-22; do
  objs=
  for src in "$here"/*.cpp; do
    obj="$out/$cxx-$(basename "$src" .cpp).o"
    "$cxx" -std=c++20 -O2 -Wall -Wextra -Werror -I"$root/runtime/include" \
      -c "$src" -o "$obj"
    objs="$objs $obj"
  done
  # shellcheck disable=SC2086 # word splitting of $objs is intended
  "$cxx" $objs -o "$out/bench_chain-$cxx"
  echo "== $cxx"
  "$out/bench_chain-$cxx" "$@"
done
