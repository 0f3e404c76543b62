#!/usr/bin/env bash
# Hot paths whose I/O sits behind a buffer (issue 15; docs/benchmarks.md,
# "Hot paths behind a buffer"). For each workload of bench/hotpath (and a
# copy of examples/calc) this script
#   1. copies the sources to a scratch directory, writes its
#      compile_commands.json and converts the copy with vinyl-asyncify
#      (the plain conversion), and three more copies, each with a
#      .vinyl.yaml: synchronous twins (`facades: { twins: true }`), fast
#      paths (`fast_paths: true`) and both; a variant the tool does not
#      accept the key of, or for which it writes nothing of its kind (no
#      vinyl::twin_t, no vinyl::fast_task), is "n/a" in the table;
#   2. builds the original and each converted program with g++ and
#      clang++-22 (-O2, one compile at a time, nice 19); each compiler gets
#      its own conversions, from a compile database that names it, as a
#      project built with it would;
#   3. runs them interleaved (original, converted, converted async, twins,
#      twins async, fast, fast async, fast+twins, fast+twins async,
#      original, ...) $HOTPATH_RUNS times (default 7), the converted ones
#      in blocking mode and with VINYL_IO=async, checks that every checksum
#      equals the original's and prints, per workload and compiler, the
#      original's minimum ns per operation, each converted variant's
#      minimum as a multiple of it, and each binary's .text size.
# Time is the process's CPU time (user + system, all threads) over the
# timed work, which a shared machine disturbs less than wall-clock time
# does (the programs read CLOCK_PROCESS_CPUTIME_ID around their work; calc,
# whose main is examples/calc's own, is measured by `perf stat -e
# task-clock`, start-up included, or by wall clock without perf); the
# wall-clock minima go to the CSV as well.
# The tool, its rules and the runtime headers are copied once at the start,
# so a rebuild of build/bin during the run changes nothing.
# This is a benchmark, not a test: it stops on a wrong checksum, a failed
# build or a failed plain conversion, never on a time (a failed twins or
# fast conversion, or one that does not build, is a note under the table
# and "n/a" in it).
#
# Usage: bench/hotpath/run.sh [workload...]   (default: all six:
#          bytes lines records calc sqlite syscall)
# Environment:
#   VINYL_ASYNCIFY   the tool (default: build/bin/vinyl-asyncify)
#   HOTPATH_RUNS     runs of each binary (default 7)
#   HOTPATH_SCALE    multiplies the work of each run (default 1: on a quiet
#                    2-vCPU VM the original runs about 0.1-0.3 s, the
#                    converted programs up to about 0.8 s; the whole script
#                    10-20 minutes, depending on the machine's load)
#   HOTPATH_KEEP     a directory to keep the scratch tree in (else removed)
#   HOTPATH_CSV      a file to write the results to, as CSV
set -eu
shopt -s inherit_errexit

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tool=${VINYL_ASYNCIFY:-$root/build/bin/vinyl-asyncify}
runs=${HOTPATH_RUNS:-7}
scale=${HOTPATH_SCALE:-1}
compilers="g++ clang++-22"
runtime_include=$root/runtime/include

if [ $# -gt 0 ]; then
  workloads="$*"
else
  workloads="bytes lines records calc sqlite syscall"
fi

if [ -n "${HOTPATH_KEEP:-}" ]; then
  tmp=$HOTPATH_KEEP
  rm -rf "$tmp"
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi

for cxx in $compilers; do
  command -v "$cxx" >/dev/null || { echo "run.sh: $cxx not found" >&2; exit 2; }
done
[ -x "$tool" ] || { echo "run.sh: no tool at $tool" >&2; exit 2; }

# A snapshot of the tool as it is installed in its build tree: bin/, the
# bundled rules in share/, and the runtime headers it verifies against in
# include/ (taken from runtime/include, which every build here uses too).
tool_root=$(cd "$(dirname "$tool")/.." && pwd)
mkdir -p "$tmp/tool/bin" "$tmp/tool/include"
cp "$tool" "$tmp/tool/bin/vinyl-asyncify"
[ ! -d "$tool_root/share" ] || cp -r "$tool_root/share" "$tmp/tool/"
cp -r "$runtime_include/vinyl" "$tmp/tool/include/"
tool=$tmp/tool/bin/vinyl-asyncify
runtime_include=$tmp/tool/include
have_perf=no
if command -v perf >/dev/null && perf stat -x, -e task-clock -o /dev/null true 2>/dev/null; then
  have_perf=yes
fi

log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- inputs --
# Deterministic inputs (awk's srand(1)); sizes scale with HOTPATH_SCALE
# through the number of passes or calls, not the files.
make_inputs() {
  # ~16 MiB of HTTP/1.1 request heads (bytes, lines).
  awk 'BEGIN {
    srand(1)
    split("GET GET GET GET POST PUT DELETE HEAD", m, " ")
    split("gzip, deflate|gzip|br, gzip, deflate|identity", enc, "|")
    total = 0; i = 0
    while (total < 16 * 1024 * 1024) {
      meth = m[int(rand() * 8) + 1]
      s = sprintf("%s /api/v1/items/%d?page=%d&sort=name HTTP/1.1\r\n", meth, int(rand() * 100000), int(rand() * 50))
      s = s sprintf("Host: shop%d.example.com\r\n", i % 7)
      s = s "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
      s = s "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
      s = s sprintf("Accept-Encoding: %s\r\n", enc[int(rand() * 4) + 1])
      s = s sprintf("X-Request-Id: %08x%08x\r\n", int(rand() * 2147483647), int(rand() * 2147483647))
      s = s sprintf("Cookie: session=%d; theme=dark; lang=en-GB\r\n", int(rand() * 1000000000))
      if (meth == "POST" || meth == "PUT")
        s = s sprintf("Content-Type: application/json\r\nContent-Length: %d\r\n", int(rand() * 4096))
      s = s ((i % 10 == 9) ? "Connection: close\r\n" : "Connection: keep-alive\r\n")
      s = s "\r\n"
      printf "%s", s
      total += length(s); i++
    }
  }' >"$tmp/http.txt"
  # ~8 MiB of "id,account,amount,currency" records, 1 in 200 malformed.
  awk 'BEGIN {
    srand(1)
    split("EUR USD GBP CHF", cur, " ")
    total = 0; i = 0
    while (total < 8 * 1024 * 1024) {
      if (i % 200 == 199)
        s = sprintf("%d,broken line without enough fields\n", i)
      else
        s = sprintf("%d,acct-%05d,%d,%s\n", i, int(rand() * 100000), int(rand() * 2000000) - 1000000, cur[int(rand() * 4) + 1])
      printf "%s", s
      total += length(s); i++
    }
  }' >"$tmp/records.csv"
  # 40,000 arithmetic expressions for calc, no errors (~2 MiB).
  awk 'function num() { return (rand() < 0.3) ? sprintf("%d.%d", int(rand() * 1000), int(rand() * 100)) : sprintf("%d", int(rand() * 10000) + 1) }
  BEGIN {
    srand(1)
    split("+ - * /", op, " ")
    for (i = 0; i < 40000; i++) {
      s = num()
      for (k = 0; k < 3 + int(rand() * 5); k++) {
        o = op[int(rand() * 4) + 1]
        if (rand() < 0.25)
          s = s " " o " (" num() " " op[int(rand() * 2) + 1] " -" num() ")"
        else
          s = s " " o " " num()
      }
      print s
    }
  }' >"$tmp/calc.txt"
}

# ------------------------------------------------------------- workloads --
# sources <workload>: the directory to copy; files <workload>: its units;
# libs <workload>: extra link flags; args: how to run it (see run_one).
src_dir() {
  case $1 in
    calc) echo "$root/examples/calc" ;;
    *) echo "$here/$1" ;;
  esac
}
units() {
  case $1 in
    bytes) echo "main.cpp count.cpp reader.cpp" ;;
    lines) echo "main.cpp count.cpp http.cpp line.cpp reader.cpp" ;;
    records) echo "main.cpp record.cpp token.cpp source.cpp" ;;
    calc) echo "main.cpp parser.cpp reader.cpp" ;;
    sqlite) echo "main.cpp queries.cpp store.cpp" ;;
    syscall) echo "main.cpp loop.cpp message.cpp frame.cpp block.cpp" ;;
  esac
}
libs() {
  case $1 in
    sqlite) echo "-lsqlite3" ;;
    *) echo "" ;;
  esac
}
# What one operation is, for the table.
op_name() {
  case $1 in
    bytes) echo "byte" ;;
    lines) echo "line" ;;
    records) echo "record" ;;
    calc) echo "line" ;;
    sqlite) echo "select" ;;
    syscall) echo "call" ;;
  esac
}

# write_db DIR COMPILER: DIR/compile_commands.json for the units of DIR.
write_db() {
  local dir=$1 cxx=$2 first=1 f
  {
    echo "["
    for f in $(units "$wl"); do
      [ $first = 1 ] || echo ","
      first=0
      printf '{"directory": "%s", "file": "%s", "arguments": ["%s", "-std=c++20", "-O2", "-I%s/common", "-c", "%s"]}' \
        "$dir" "$dir/$f" "$cxx" "$here" "$f"
    done
    echo "]"
  } >"$dir/compile_commands.json"
}

# copy_sources DEST: a fresh copy of the workload's sources (no build files).
copy_sources() {
  local dest=$1 f
  rm -rf "$dest"
  mkdir -p "$dest"
  for f in "$(src_dir "$wl")"/*.h "$(src_dir "$wl")"/*.cpp; do
    cp "$f" "$dest/"
  done
}

# build CXX DIR OUT: one program from the units of DIR (one driver call,
# which compiles the units one after another).
build() {
  local cxx=$1 dir=$2 out=$3 f srcs=""
  for f in $(units "$wl"); do srcs="$srcs $dir/$f"; done
  # shellcheck disable=SC2086,SC2046 # word splitting of the lists is intended
  nice -n 19 "$cxx" -std=c++20 -O2 -pthread -I"$runtime_include" -I"$here/common" $srcs \
    -o "$out" $(libs "$wl")
}

# option_variant NAME KEY MARKER YAML: a copy of the workload in
# $base/NAME, converted with YAML as its .vinyl.yaml and built as
# $base/NAME.bin; sets built[NAME] to yes, or to no when the tool rejects
# KEY as unknown (the option has not landed), when the conversion fails,
# writes no MARKER or does not build (each of the last three a note).
option_variant() {
  local name=$1 key=$2 marker=$3 yaml=$4 dir=$base/$1
  built[$name]=no
  copy_sources "$dir"
  write_db "$dir" "$cxx"
  printf '%s\n' "$yaml" >"$dir/.vinyl.yaml"
  if nice -n 19 "$tool" -j 1 -p "$dir" "$dir" >"$base/$name.log" 2>&1; then
    if grep -rq "$marker" "$dir"/*.cpp "$dir"/*.h; then
      if build "$cxx" "$dir" "$base/$name.bin" 2>"$base/$name-build.log"; then
        built[$name]=yes
      else
        log "the $name conversion of $wl ($cxx) does not build:"
        head -30 "$base/$name-build.log" >&2
        echo "$wl $cxx: $name conversion does not build (see $base/$name-build.log)" >>"$notes"
      fi
    else
      echo "$wl $cxx: $name: key accepted but no $marker in the output" >>"$notes"
    fi
  elif grep -q "unknown key '$key'" "$base/$name.log"; then
    : # the option has not landed
  else
    log "the $name conversion of $wl ($cxx) failed:"
    cat "$base/$name.log" >&2
    echo "$wl $cxx: $name conversion failed: $(grep -m1 error "$base/$name.log" || head -1 "$base/$name.log")" >>"$notes"
  fi
}

text_size() {
  size -A "$1" | awk '$1 == ".text" { print $2 }'
}

# run_one BIN MODE: runs BIN once (MODE: blocking or async) and prints
# "checksum ops wall-ns cpu-ns".
run_one() {
  local bin=$1 mode=$2 out t0 t1 cpu
  case $wl in
    bytes | lines)
      out=$(VINYL_IO=$mode "$bin" "$tmp/http.txt" "$((passes * scale))") ;;
    records)
      out=$(VINYL_IO=$mode "$bin" "$tmp/records.csv" "$((passes * scale))") ;;
    sqlite)
      out=$(VINYL_IO=$mode "$bin" 10000 "$((calls * scale))") ;;
    syscall)
      out=$(VINYL_IO=$mode "$bin" "$((calls * scale))") ;;
    calc)
      # calc is examples/calc as it is: one pass over its standard input,
      # timed from here (process start included, about 1 ms).
      local input=$tmp/calc.txt i
      if [ "$scale" != 1 ]; then
        input=$tmp/calc-x$scale.txt
        if [ ! -f "$input" ]; then
          for ((i = 0; i < scale; i++)); do cat "$tmp/calc.txt"; done >"$input"
        fi
      fi
      t0=$EPOCHREALTIME
      if [ $have_perf = yes ]; then
        VINYL_IO=$mode perf stat -x, -e task-clock -o "$tmp/perf.txt" \
          "$bin" <"$input" >"$tmp/calc.out"
      else
        VINYL_IO=$mode "$bin" <"$input" >"$tmp/calc.out"
      fi
      t1=$EPOCHREALTIME
      t1=$(( (${t1/./} - ${t0/./}) * 1000 ))
      cpu=$t1
      if [ $have_perf = yes ]; then
        cpu=$(awk -F, '$3 ~ /^task-clock/ { printf "%.0f", $1 * 1e6 }' "$tmp/perf.txt")
      fi
      out="checksum $(cksum <"$tmp/calc.out" | tr ' ' '-') ops $(wc -l <"$input") ns $t1 cpu_ns $cpu"
      ;;
  esac
  echo "$out" | awk '{ print $2, $4, $6, $8 }'
}

# ratio VARIANT: the best time of VARIANT over the original's, or n/a.
ratio() {
  if [ -n "${best[$1]:-}" ]; then
    awk -v a="${best[$1]}" -v b="${best[orig:blocking]}" 'BEGIN { printf "%.2f", a / b }'
  else
    echo "n/a"
  fi
}
tsize() { if [ -f "$1" ]; then text_size "$1"; else echo "n/a"; fi; }
# vbin NAME: the binary of an optional variant, or a path that is none.
vbin() { if [ "${built[$1]}" = yes ]; then echo "$base/$1.bin"; else echo /nonexistent; fi; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# ------------------------------------------------------------------ main --
log "scratch directory: $tmp"
log "tool: $tool ($("$tool" --version 2>&1 | head -1))"
make_inputs

twins_yaml='facades:
  twins: true'
fast_yaml='fast_paths: true'
declare -A built=()

results=$tmp/results.txt
: >"$results"
notes=$tmp/notes.txt
: >"$notes"
loads=$tmp/loads.txt
: >"$loads"
walls=$tmp/walls.txt
: >"$walls"

for wl in $workloads; do
  # Work per run, chosen so that the original runs about 0.1-0.3 s.
  passes=1 calls=1
  case $wl in
    bytes) passes=3 ;;
    lines) passes=2 ;;
    records) passes=5 ;;
    sqlite) calls=350000 ;;
    syscall) calls=150000 ;;
  esac
  if [ "$wl" = sqlite ] && ! [ -f /usr/include/sqlite3.h ]; then
    log "== sqlite: skipped (no /usr/include/sqlite3.h; install libsqlite3-dev)"
    echo "sqlite: skipped, libsqlite3-dev not installed" >>"$notes"
    continue
  fi
  for cxx in $compilers; do
    tag=$wl-$cxx
    base=$tmp/$tag
    mkdir -p "$base"
    log "== $wl, $cxx"
    # The original.
    copy_sources "$base/orig"
    build "$cxx" "$base/orig" "$base/orig.bin"
    # The plain conversion.
    copy_sources "$base/conv"
    write_db "$base/conv" "$cxx"
    if ! nice -n 19 "$tool" -j 1 -p "$base/conv" "$base/conv" >"$base/conv.log" 2>&1; then
      log "conversion of $wl ($cxx) failed:"
      cat "$base/conv.log" >&2
      exit 1
    fi
    build "$cxx" "$base/conv" "$base/conv.bin"
    # The conversions with synchronous twins, with fast paths and with both,
    # when the tool knows the keys.
    option_variant twins twins twin_t "$twins_yaml"
    option_variant fast fast_paths vinyl::fast_task "$fast_yaml"
    option_variant fasttwins fast_paths vinyl::fast_task "$fast_yaml
$twins_yaml"

    # Runs, interleaved.
    load0=$(loadavg)
    variants="orig:blocking conv:blocking conv:async"
    for v in twins fast fasttwins; do
      [ "${built[$v]}" = no ] || variants="$variants $v:blocking $v:async"
    done
    ref=""
    declare -A best=() best_wall=()
    for ((r = 0; r < runs; r++)); do
      for v in $variants; do
        bin=$base/${v%%:*}.bin
        # shellcheck disable=SC2046 # four words: checksum ops wall cpu
        set -- $(run_one "$bin" "${v#*:}")
        sum=$1 ops=$2 wall=$3 ns=$4
        if [ -z "$ref" ]; then
          ref=$sum refops=$ops
        elif [ "$sum" != "$ref" ] || [ "$ops" != "$refops" ]; then
          log "checksum mismatch: $wl $cxx $v: $sum ops $ops, original $ref ops $refops"
          exit 1
        fi
        if [ -z "${best[$v]:-}" ] || [ "$ns" -lt "${best[$v]}" ]; then
          best[$v]=$ns
        fi
        if [ -z "${best_wall[$v]:-}" ] || [ "$wall" -lt "${best_wall[$v]}" ]; then
          best_wall[$v]=$wall
        fi
      done
    done
    orig_ns=$(awk -v a="${best[orig:blocking]}" -v n="$refops" 'BEGIN { printf "%.2f", a / n }')
    echo "$wl $cxx $(op_name "$wl") $orig_ns $(ratio conv:blocking) $(ratio conv:async)" \
      "$(ratio twins:blocking) $(ratio twins:async)" \
      "$(ratio fast:blocking) $(ratio fast:async)" \
      "$(ratio fasttwins:blocking) $(ratio fasttwins:async)" \
      "$(tsize "$base/orig.bin") $(tsize "$base/conv.bin") $(tsize "$(vbin twins)")" \
      "$(tsize "$(vbin fast)") $(tsize "$(vbin fasttwins)")" >>"$results"
    tail -1 "$results" >&2
    wall_of() { echo "${best_wall[$1]:-n/a}"; }
    echo "$wl,$cxx,$refops,$(wall_of orig:blocking),$(wall_of conv:blocking),$(wall_of conv:async),$(wall_of twins:blocking),$(wall_of twins:async),$(wall_of fast:blocking),$(wall_of fast:async),$(wall_of fasttwins:blocking),$(wall_of fasttwins:async)" >>"$walls"
    echo "$wl $cxx: 1-min load average $load0 before the runs, $(loadavg) after" >>"$loads"
    unset best best_wall
  done
done

# ----------------------------------------------------------------- table --
echo
if [ $have_perf = yes ]; then calc_clock="perf task-clock"; else calc_clock="wall clock"; fi
echo "CPU time, min of $runs runs (calc: $calc_clock); x = converted time / original time; .text in bytes"
echo "(fast: fast_paths: true; fast+twins: fast_paths and facades: { twins: true })"
echo
echo "| workload | compiler | original ns/op | converted x | converted async x | twins x | twins async x | fast x | fast async x | fast+twins x | fast+twins async x | .text original / converted / twins / fast / fast+twins |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
while read -r w c op o x xa t ta f fa ft fta so sc st sf sft; do
  echo "| $w | $c | $o ns/$op | $x | $xa | $t | $ta | $f | $fa | $ft | $fta | $so / $sc / $st / $sf / $sft |"
done <"$results"
echo
cat "$loads"
if [ -s "$notes" ]; then
  echo
  cat "$notes"
fi
if [ -n "${HOTPATH_CSV:-}" ]; then
  {
    echo "workload,compiler,op,original_ns_per_op,converted_x,converted_async_x,twins_x,twins_async_x,fast_x,fast_async_x,fast_twins_x,fast_twins_async_x,text_original,text_converted,text_twins,text_fast,text_fast_twins"
    tr ' ' ',' <"$results"
    echo
    echo "workload,compiler,ops,wall_ns_original,wall_ns_converted,wall_ns_converted_async,wall_ns_twins,wall_ns_twins_async,wall_ns_fast,wall_ns_fast_async,wall_ns_fast_twins,wall_ns_fast_twins_async"
    cat "$walls"
  } >"$HOTPATH_CSV"
fi
