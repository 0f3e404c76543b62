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
# Environment: VINYL_TOOL (default: build/bin/vinyl-asyncify of the
# repository, then /work/build-srv), VINYL_RUNTIME_INCLUDE (default:
# runtime/include), REPS (runs per point, default 3; the median is kept),
# CONNS (default "100 1000 10000"), TOTAL (requests per run, default 200000),
# BACKEND (VINYL_IO_BACKEND of the converted server, default auto).
# Writes OUT_DIR/results.csv (every run) and OUT_DIR/summary.csv (medians);
# bench/server/plot.py draws the PNG from summary.csv.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
reps=${REPS:-3}
conns_list=${CONNS:-"100 1000 10000"}
total=${TOTAL:-200000}
tool=${VINYL_TOOL:-}
if [ -z "$tool" ]; then
  for t in "$root/build/bin/vinyl-asyncify" /work/build-srv/bin/vinyl-asyncify; do
    [ -x "$t" ] && tool=$t && break
  done
fi
runtime_include=${VINYL_RUNTIME_INCLUDE:-$root/runtime/include}
ulimit -n 20000 2>/dev/null || true
echo "ulimit -n: $(ulimit -n)"

# 1. the original (thread-per-connection) and kvload
cmake -S "$root/examples/kvserver" -B "$out/original" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DKVSERVER_TESTS=OFF > "$out/original.log"
cmake --build "$out/original" -j 2 >> "$out/original.log"
# 2. the converted copy, on the runtime
# (CONVERTED_SRC: a copy of examples/kvserver converted already, used as is)
rm -rf "$out/converted-src" && mkdir -p "$out/converted-src"
cp -r "${CONVERTED_SRC:-$root/examples/kvserver}" "$out/converted-src/kvserver"
src=$out/converted-src/kvserver
if [ -z "${CONVERTED_SRC:-}" ]; then
  cmake -S "$src" -B "$out/converted-db" -G Ninja -DKVSERVER_TESTS=OFF > "$out/converted.log"
  "$tool" -p "$out/converted-db" "$src/src" "$src/include" >> "$out/converted.log" 2>&1
fi
cmake -S "$src" -B "$out/converted" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DKVSERVER_TESTS=OFF "-DCMAKE_CXX_FLAGS=-I$runtime_include" >> "$out/converted.log"
cmake --build "$out/converted" -j 2 >> "$out/converted.log"
# 3. the hand-written epoll reference, same protocol code
g++ -std=c++20 -O2 -I"$root/examples/kvserver/include" \
  "$here/epoll_server.cpp" "$root/examples/kvserver/src/protocol.cpp" \
  "$root/examples/kvserver/src/store.cpp" -o "$out/epoll_server"

kvload=$out/original/kvload
echo "server,conns,rep,rps,p50_us,p99_us,rss_per_conn_bytes,threads_open" > "$out/results.csv"

# run_one NAME CONNS REP ENV... -- SERVER...
run_one() {
  name=$1 n=$2 rep=$3
  shift 3
  requests=$((total / n))
  [ "$requests" -lt 20 ] && requests=20
  rm -f "$out/port"
  env "$@" --port-file "$out/port" > /dev/null 2>&1 &
  spid=$!
  i=0
  while [ ! -s "$out/port" ]; do
    sleep 0.05; i=$((i + 1))
    [ $i -gt 200 ] && { echo "server $name did not start"; kill $spid; return 1; }
  done
  port=$(cat "$out/port")
  # the server's pid is the env's (exec)
  log=$out/run-$name-$n-$rep.log
  if ! "$kvload" --port "$port" --conns "$n" --requests "$requests" --pid "$spid" \
      --timeout-s 120 --linger0 --prefix "r$rep" > "$log" 2>&1; then
    echo "kvload failed against $name at $n connections:"; cat "$log"
  fi
  python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$port)); s.sendall(b'SHUTDOWN\n'); s.recv(16)" || true
  wait $spid || true
  get() { awk -v k="$1" '$1 == k { print $2 }' "$log"; }
  echo "$name,$n,$rep,$(get requests_per_second),$(get latency_p50_us),$(get latency_p99_us),$(get server_rss_per_conn_bytes),$(get server_threads_open)" >> "$out/results.csv"
  tail -n 1 "$out/results.csv"
}

for n in $conns_list; do
  for rep in $(seq 1 "$reps"); do
    run_one converted-async "$n" "$rep" VINYL_IO=async VINYL_IO_BACKEND="${BACKEND:-auto}" "$out/converted/kvserver"
    run_one thread-per-connection "$n" "$rep" VINYL_IO=blocking "$out/original/kvserver"
    run_one epoll-reference "$n" "$rep" VINYL_IO=blocking "$out/epoll_server"
  done
done

python3 - "$out/results.csv" "$out/summary.csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
keys = []
for r in rows:
    k = (r["server"], int(r["conns"]))
    if k not in keys:
        keys.append(k)
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["server", "conns", "runs", "rps", "p99_us", "rss_per_conn_bytes", "threads_open"])
    for k in keys:
        rs = [r for r in rows if (r["server"], int(r["conns"])) == k and r["rps"]]
        med = lambda f: statistics.median(float(r[f]) for r in rs) if rs else float("nan")
        w.writerow([k[0], k[1], len(rs), round(med("rps")), round(med("p99_us")),
                    round(med("rss_per_conn_bytes")), rs[0]["threads_open"] if rs else ""])
print(open(sys.argv[2]).read())
PY
echo "results in $out"
