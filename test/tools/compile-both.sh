#!/bin/sh
# Checks that converted files compile warning-free with both compilers.
# Usage: compile-both.sh GXX CLANGXX FLAGS FILE... (FLAGS is one word list).
gxx=$1; clangxx=$2; shift 2
flags=""
while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do flags="$flags $1"; shift; done
for cxx in "$gxx" "$clangxx"; do
  for f in "$@"; do
    $cxx $flags -fsyntax-only "$f" || { echo "compile-both: $cxx failed on $f" >&2; exit 1; }
  done
done
