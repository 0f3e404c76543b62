#!/bin/sh
# The main job on a bundled example: copy the synchronous calculator from
# examples/calc, convert the copy with vinyl-asyncify, show the diff, build
# both versions and show that they answer the same.
# Usage: scripts/demo.sh BUILD_DIR
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
tool="$build/bin/vinyl-asyncify"
work="$build/demo"

rm -rf "$work"
mkdir -p "$work"
cp -r "$root/examples/calc" "$work/calc"
cd "$work/calc"

echo "== building the synchronous original"
cmake -S . -B build-sync -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-sync >/dev/null
ln -sf build-sync/compile_commands.json compile_commands.json

echo "== what vinyl-asyncify would change (--diff)"
"$tool" --diff .

echo "== converting in place"
"$tool" .
echo "== a second run finds nothing left to do (--check exits 0)"
"$tool" --check .

echo "== building the converted program with \$(vinyl-asyncify --print-runtime-flags)"
cmake -S . -B build-async -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$("$tool" --print-runtime-flags)" >/dev/null
cmake --build build-async >/dev/null

input='1 + 2 * 3
(1 + 2) * 3
-4 / 2
2 * (3
7 - - 1'
echo "== input"
echo "$input"
echo "== original"
sync_out=$(echo "$input" | ./build-sync/calc || true)
echo "$sync_out"
echo "== converted (coroutines, blocking backend)"
async_out=$(echo "$input" | ./build-async/calc || true)
echo "$async_out"
if [ "$sync_out" = "$async_out" ]; then
  echo "== same output: the converted program behaves like the original"
else
  echo "== outputs differ" >&2
  exit 1
fi
