#!/usr/bin/env bash
# Where the converted programs of bench/hotpath spend their time, counted
# rather than timed (docs/benchmarks.md, "Hot paths behind a buffer"): for
# every binary that run.sh built and kept (HOTPATH_KEEP=DIR run.sh), the
# user-space instructions per operation (callgrind: the difference between
# a run of 2 units of work and one of 1 unit, over the difference in
# operations, so start-up and set-up cancel out) and the heap allocations
# per operation (memcheck's "total heap usage", the same difference), in
# blocking mode. The variants are those run.sh built: orig, conv, twins,
# fast and fast+twins (the last two where the tool split a function).
#
# Usage: bench/hotpath/profile.sh DIR [workload...]
#   DIR: the directory run.sh kept (its inputs and <workload>-<compiler>/
#   binaries); workloads default to those DIR holds.
# Needs valgrind. Slow (valgrind runs every binary four times), so the
# units of work are small: 1 MiB of input, 2,000 lines, 20,000 calls.
set -eu
shopt -s inherit_errexit

[ $# -ge 1 ] || { echo "usage: $0 DIR [workload...]" >&2; exit 2; }
dir=$(cd "$1" && pwd)
shift
command -v valgrind >/dev/null || { echo "profile.sh: needs valgrind" >&2; exit 2; }
if [ $# -gt 0 ]; then
  workloads="$*"
else
  workloads="bytes lines records calc sqlite syscall"
fi
small=$dir/profile
mkdir -p "$small"
head -c 1048576 "$dir/http.txt" >"$small/http.txt"
head -c 1048576 "$dir/records.csv" >"$small/records.csv"
head -n 2000 "$dir/calc.txt" >"$small/calc-1.txt"
cat "$small/calc-1.txt" "$small/calc-1.txt" >"$small/calc-2.txt"

# run BIN UNITS (1 or 2): the command's output, "checksum ... ops N ...".
run() {
  local bin=$1 k=$2
  case $wl in
    bytes | lines) "${prefix[@]}" "$bin" "$small/http.txt" "$k" ;;
    records) "${prefix[@]}" "$bin" "$small/records.csv" "$k" ;;
    sqlite) "${prefix[@]}" "$bin" 10000 $((20000 * k)) ;;
    syscall) "${prefix[@]}" "$bin" $((20000 * k)) ;;
    calc) "${prefix[@]}" "$bin" <"$small/calc-$k.txt" >/dev/null
          echo "ops $((2000 * k))" ;;
  esac
}
ops_of() { sed -n 's/.*ops \([0-9]*\).*/\1/p' | tail -1; }

echo "| workload | compiler | variant | instructions/op | allocations/op |"
echo "|---|---|---|---|---|"
for wl in $workloads; do
  for cxx in g++ clang++-22; do
    base=$dir/$wl-$cxx
    [ -d "$base" ] || continue
    for v in orig conv twins fast fasttwins; do
      bin=$base/$v.bin
      [ -x "$bin" ] || continue
      declare -A ir=() allocs=() ops=()
      for k in 1 2; do
        out=$small/cg.$wl.$cxx.$v.$k
        prefix=(valgrind --tool=callgrind --callgrind-out-file="$out" --log-file="$out.log")
        ops[$k]=$(VINYL_IO=blocking run "$bin" "$k" | ops_of)
        ir[$k]=$(sed -n 's/^summary: *//p; s/^totals: *//p' "$out" | head -1)
        prefix=(valgrind --tool=memcheck --log-file="$out.mc")
        VINYL_IO=blocking run "$bin" "$k" >/dev/null
        allocs[$k]=$(sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' "$out.mc" | tr -d ,)
      done
      awk -v i1="${ir[1]}" -v i2="${ir[2]}" -v a1="${allocs[1]}" -v a2="${allocs[2]}" \
        -v o1="${ops[1]}" -v o2="${ops[2]}" -v w="$wl" -v c="$cxx" -v v="${v/fasttwins/fast+twins}" \
        'BEGIN { printf "| %s | %s | %s | %.1f | %.3f |\n", w, c, v, (i2 - i1) / (o2 - o1), (a2 - a1) / (o2 - o1) }'
      unset ir allocs ops
    done
  done
done
