#!/bin/sh
# Server benchmark (docs/benchmarks.md, "kvserver"): the kvserver example
# converted by vinyl-asyncify and run on the event loop (VINYL_IO=async),
# the original thread-per-connection kvserver, and the hand-written epoll
# reference (bench/server/epoll_server.cpp), each loaded by kvload
# (examples/kvserver/tools/kvload.cpp, one thread, epoll) over loopback at
# 100 / 1,000 / 10,000 concurrent connections.
#
#   bench/server/run.sh [OUT_DIR]
#
# The converted server is exactly the tool's output: a scratch copy of
# examples/kvserver is converted by vinyl-asyncify (as the ctest test
# kvserver-converted-async-10k-connections.test does) and built as it is;
# the script stops if the converted server.cpp does not spawn its
# connections with vinyl::spawn. OUT_DIR/conversion.diff keeps the rewrite.
#
# Set-up: every server runs on CPU SERVER_CPU and kvload on CLIENT_CPU
# (taskset), so each server gets one core and the client another. Before
# each series (one connection count: every server, REPS runs each) the
# script waits until the 1-minute load average is below MAX_LOAD (polling
# every 30 s, at most LOAD_WAIT_S seconds), and records the load at the
# start and the end of the series in OUT_DIR/load.csv.
#
# Environment: VINYL_TOOL (default: build/bin/vinyl-asyncify of the
# repository, then /work/build/bin, then /work/build-srv/bin),
# VINYL_RUNTIME_INCLUDE (default: the runtime/include of RUNTIME_COMMIT,
# itself default HEAD, exported with git archive, so that edits in progress
# in the working tree do not leak in; "worktree" uses runtime/include as
# it is), REPS (runs per point, default 3; the median is kept), CONNS
# (default "100 1000 10000"), TOTAL (requests per run, default 200000),
# BACKEND (VINYL_IO_BACKEND of the converted server, default auto),
# SERVER_CPU (default 0), CLIENT_CPU (default 1; empty: no pinning),
# MAX_LOAD (default 0.6), LOAD_WAIT_S (default 1200).
# Writes OUT_DIR/results.csv (every run), OUT_DIR/summary.csv (medians) and
# OUT_DIR/load.csv; bench/server/plot.py draws the PNG from summary.csv.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
reps=${REPS:-3}
conns_list=${CONNS:-"100 1000 10000"}
total=${TOTAL:-200000}
server_cpu=${SERVER_CPU-0}
client_cpu=${CLIENT_CPU-1}
max_load=${MAX_LOAD:-0.6}
load_wait_s=${LOAD_WAIT_S:-1200}
tool=${VINYL_TOOL:-}
if [ -z "$tool" ]; then
  for t in "$root/build/bin/vinyl-asyncify" /work/build/bin/vinyl-asyncify \
      /work/build-srv/bin/vinyl-asyncify; do
    [ -x "$t" ] && tool=$t && break
  done
fi
[ -n "$tool" ] && [ -x "$tool" ] || { echo "no vinyl-asyncify (set VINYL_TOOL)"; exit 2; }
if [ -n "${VINYL_RUNTIME_INCLUDE:-}" ]; then
  runtime_include=$VINYL_RUNTIME_INCLUDE
elif [ "${RUNTIME_COMMIT:-HEAD}" = worktree ]; then
  runtime_include=$root/runtime/include
else
  rm -rf "$out/runtime" && mkdir -p "$out/runtime"
  git -C "$root" archive "${RUNTIME_COMMIT:-HEAD}" runtime/include | tar -x -C "$out/runtime"
  runtime_include=$out/runtime/runtime/include
fi
ulimit -n 20000 2>/dev/null || true
pin_server= pin_client=
[ -n "$server_cpu" ] && pin_server="taskset -c $server_cpu"
[ -n "$client_cpu" ] && pin_client="taskset -c $client_cpu"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "commit: $(git -C "$root" rev-parse HEAD)"
  echo "tool: $tool ($("$tool" --version 2>&1 | head -n 1); sha256 $(sha256sum "$tool" | cut -c1-16))"
  echo "runtime include: $runtime_include (${VINYL_RUNTIME_INCLUDE:+given}${VINYL_RUNTIME_INCLUDE:-${RUNTIME_COMMIT:-HEAD}})"
  echo "compiler: $(c++ --version | head -n 1)"
  echo "kernel: $(uname -r), cpus: $(nproc)"
  echo "server pinned: ${pin_server:-no}; client pinned: ${pin_client:-no}"
  echo "ulimit -n: $(ulimit -n)"
} | tee "$out/setup.txt"

# 1. the original (thread-per-connection) and kvload
cmake -S "$root/examples/kvserver" -B "$out/original" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DKVSERVER_TESTS=OFF > "$out/original.log"
cmake --build "$out/original" -j 2 >> "$out/original.log"
# 2. the tool's conversion of a scratch copy, built on the runtime as it is
src=$out/converted-src/kvserver
rm -rf "$out/converted-src" "$out/converted-db" "$out/converted"
mkdir -p "$out/converted-src"
cp -r "$root/examples/kvserver" "$src"
cmake -S "$src" -B "$out/converted-db" -G Ninja -DKVSERVER_TESTS=OFF > "$out/converted.log"
"$tool" -p "$out/converted-db" "$src/src" "$src/include" >> "$out/converted.log" 2>&1
(cd "$out/converted-src" && diff -ru "$root/examples/kvserver/src" kvserver/src;
 diff -ru "$root/examples/kvserver/include" kvserver/include) > "$out/conversion.diff" || true
if ! grep -q 'vinyl::spawn(' "$src/src/server.cpp" || grep -q 'std::thread(' "$src/src/server.cpp"; then
  echo "the converted server.cpp does not spawn its connections with vinyl::spawn:"
  grep -n -e 'spawn' -e 'std::thread' "$src/src/server.cpp" || true
  exit 1
fi
echo "converted server (tool output): $(grep -n 'vinyl::spawn(' "$src/src/server.cpp" | sed 's/^ *//')" | tee -a "$out/setup.txt"
cmake -S "$src" -B "$out/converted" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DKVSERVER_TESTS=OFF "-DCMAKE_CXX_FLAGS=-I$runtime_include" >> "$out/converted.log"
cmake --build "$out/converted" -j 2 >> "$out/converted.log"
# 3. the hand-written epoll reference, same protocol code
c++ -std=c++20 -O2 -I"$root/examples/kvserver/include" \
  "$here/epoll_server.cpp" "$root/examples/kvserver/src/protocol.cpp" \
  "$root/examples/kvserver/src/store.cpp" -o "$out/epoll_server"

kvload=$out/original/kvload
fields="rps p50_us p99_us rss_per_conn_bytes threads_open client_cpu_share server_cpu_share client_ctxt_vol client_ctxt_nonvol server_ctxt_vol server_ctxt_nonvol"
echo "server,conns,rep,$(echo $fields | tr ' ' ,)" > "$out/results.csv"
echo "series,waited_s,load_start,load_end,quiet" > "$out/load.csv"

load1() { cut -d' ' -f1 /proc/loadavg; }
# wait_quiet: until the 1-minute load is below MAX_LOAD (or LOAD_WAIT_S)
wait_quiet() {
  waited=0
  while awk -v l="$(load1)" -v m="$max_load" 'BEGIN { exit !(l >= m) }'; do
    if [ "$waited" -ge "$load_wait_s" ]; then
      echo "load still $(load1) after ${waited}s: measuring anyway (marked not quiet)"
      return 1
    fi
    echo "load $(cat /proc/loadavg): waiting (${waited}s)"
    sleep 30; waited=$((waited + 30))
  done
  return 0
}

# run_one NAME CONNS REP ENV... -- SERVER...
run_one() {
  name=$1 n=$2 rep=$3
  shift 3
  requests=$((total / n))
  [ "$requests" -lt 20 ] && requests=20
  rm -f "$out/port"
  # env execs taskset, which execs the server: $! is the server's pid
  env "$@" --port-file "$out/port" > "$out/server-$name-$n-$rep.log" 2>&1 &
  spid=$!
  i=0
  while [ ! -s "$out/port" ]; do
    sleep 0.05; i=$((i + 1))
    [ $i -gt 200 ] && { echo "server $name did not start"; kill $spid; return 1; }
  done
  port=$(cat "$out/port")
  log=$out/run-$name-$n-$rep.log
  if ! $pin_client timeout 330 "$kvload" --port "$port" --conns "$n" --requests "$requests" \
      --pid "$spid" --timeout-s 300 --linger0 --prefix "r$rep" > "$log" 2>&1; then
    echo "kvload failed against $name at $n connections:"; cat "$log"
  fi
  python3 -c "import socket; s=socket.create_connection(('127.0.0.1',$port), timeout=10); s.sendall(b'SHUTDOWN\n'); s.recv(16)" || true
  i=0
  while kill -0 $spid 2>/dev/null; do
    sleep 0.1; i=$((i + 1))
    [ $i -gt 300 ] && { echo "server $name did not stop: killed"; kill -9 $spid; break; }
  done
  wait $spid || true
  get() { awk -v k="$1" '$1 == k { print $2 }' "$log"; }
  echo "$name,$n,$rep,$(get requests_per_second),$(get latency_p50_us),$(get latency_p99_us),$(get server_rss_per_conn_bytes),$(get server_threads_open),$(get client_cpu_share),$(get server_cpu_share),$(get client_ctxt_switches_voluntary),$(get client_ctxt_switches_nonvoluntary),$(get server_ctxt_switches_voluntary),$(get server_ctxt_switches_nonvoluntary)" >> "$out/results.csv"
  tail -n 1 "$out/results.csv"
}

for n in $conns_list; do
  start=$(date +%s)
  quiet=yes
  wait_quiet || quiet=no
  waited=$(($(date +%s) - start))
  l0=$(load1)
  echo "series $n connections: load at start $(cat /proc/loadavg)"
  for rep in $(seq 1 "$reps"); do
    run_one converted-async "$n" "$rep" VINYL_IO=async VINYL_IO_BACKEND="${BACKEND:-auto}" $pin_server "$out/converted/kvserver"
    run_one thread-per-connection "$n" "$rep" VINYL_IO=blocking $pin_server "$out/original/kvserver"
    run_one epoll-reference "$n" "$rep" VINYL_IO=blocking $pin_server "$out/epoll_server"
  done
  echo "series $n connections: load at end $(cat /proc/loadavg)"
  echo "$n,$waited,$l0,$(load1),$quiet" >> "$out/load.csv"
done

python3 - "$out/results.csv" "$out/summary.csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
keys = []
for r in rows:
    k = (r["server"], int(r["conns"]))
    if k not in keys:
        keys.append(k)
cols = ["rps", "p99_us", "rss_per_conn_bytes", "client_cpu_share", "server_cpu_share",
        "server_ctxt_vol", "server_ctxt_nonvol"]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["server", "conns", "runs"] + cols + ["threads_open"])
    for k in keys:
        rs = [r for r in rows if (r["server"], int(r["conns"])) == k and r["rps"]]
        def med(c):
            v = [float(r[c]) for r in rs if r[c] != ""]
            if not v:
                return ""
            m = statistics.median(v)
            return round(m, 2) if c.endswith("share") else round(m)
        w.writerow([k[0], k[1], len(rs)] + [med(c) for c in cols] +
                   [rs[0]["threads_open"] if rs else ""])
print(open(sys.argv[2]).read())
PY
cat "$out/load.csv"
echo "results in $out"
