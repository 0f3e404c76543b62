#!/bin/sh
# Builds one program from FILE... with each compiler: OUT.gcc and OUT.clang.
# Usage: build-both.sh GXX CLANGXX FLAGS OUT FILE...
gxx=$1; clangxx=$2; shift 2
flags=""
while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do flags="$flags $1"; shift; done
out=$1; shift
$gxx $flags -o "$out.gcc" "$@" || exit 1
$clangxx $flags -o "$out.clang" "$@" || exit 1
