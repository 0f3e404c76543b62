#!/usr/bin/env bash
# A fuzzing campaign over the tool's input parsers (docs/reliability.md,
# "Parsers under a fuzzer"): each target in turn, one process (one core),
# at the lowest priority, for N executions, then a table of executions,
# exec/s, crashes and leaks per target.
#
#   scripts/fuzz-campaign.sh [-n EXECS] [-b BUILD] [-o OUT] [-k] [-t SECS]
#                            [-c MAX] [TARGET...]
#
#   -n EXECS  executions per target (default 10000000)
#   -b BUILD  the fuzz build tree (default build-fuzz; see fuzz/CMakeLists.txt)
#   -o OUT    corpora, artifacts and logs (default BUILD/fuzz-campaign)
#   -k        skip inputs that only reach crashes already reported
#             (VINYL_FUZZ_SKIP_KNOWN=1, fuzz/FuzzSupport.h), so a campaign
#             goes on looking for others
#   -c MAX    after a crash or leak, start again with the corpus so far, up
#             to MAX findings per target (default 5)
#   -t SECS   an input running longer is a timeout finding (default 25); on
#             a machine loaded with builds a process at nice 19 can wait
#             that long for a CPU, so a campaign beside them takes more
#   TARGET    rules, project_config, facts, compile_db (default: all)
#
# Each target starts from a copy of fuzz/corpus/<target> (kept in OUT, so a
# second campaign goes on from where the first stopped) with its dictionary
# fuzz/dict/<target>.dict. Findings are written to OUT/<target>/artifacts/
# (crash-*, leak-*, timeout-*, oom-*); minimise one with
#   BUILD/fuzz/vinyl_<target>_fuzzer -minimize_crash=1 -runs=100000 FILE
# Exit status: 0 when no target found anything, 1 otherwise.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
execs=10000000
build="$here/build-fuzz"
out=""
skip_known=0
max_findings=5
input_timeout=25
while getopts "n:b:o:kc:t:h" opt; do
  case $opt in
    n) execs=$OPTARG ;;
    b) build=$(cd "$OPTARG" && pwd) ;;
    o) out=$OPTARG ;;
    k) skip_known=1 ;;
    c) max_findings=$OPTARG ;;
    t) input_timeout=$OPTARG ;;
    *) sed -n '2,31p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(rules project_config facts compile_db)
out=${out:-$build/fuzz-campaign}
mkdir -p "$out"
summary="$out/summary.txt"

printf '%-16s %12s %9s %9s %8s %6s %9s %7s\n' target executions seconds exec/s crashes leaks timeouts corpus | tee "$summary"
status=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/vinyl_${t}_fuzzer"
  [ -x "$bin" ] || { echo "no $bin: build it (ninja -C $build vinyl-fuzzers)" >&2; exit 2; }
  dir="$out/$t"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp -n "$here/fuzz/corpus/$t/"* "$dir/corpus/" 2>/dev/null || true
  dict=()
  [ -f "$here/fuzz/dict/$t.dict" ] && dict=("-dict=$here/fuzz/dict/$t.dict")
  done_execs=0
  findings=0
  marker="$dir/.campaign-start"
  touch "$marker"
  start=$(date +%s.%N)
  run=0
  while [ "$done_execs" -lt "$execs" ] && [ "$findings" -lt "$max_findings" ]; do
    run=$((run + 1))
    log="$dir/run-$run.log"
    before=$(ls "$dir/artifacts" | wc -l)
    rc=0
    VINYL_FUZZ_SKIP_KNOWN=$skip_known nice -n 19 "$bin" \
      -runs=$((execs - done_execs)) -timeout=$input_timeout -rss_limit_mb=2048 \
      -close_fd_mask=3 -print_final_stats=1 -reload=0 "${dict[@]}" \
      -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$log" 2>&1 || rc=$?
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    done_execs=$((done_execs + ${n:-0}))
    after=$(ls "$dir/artifacts" | wc -l)
    if [ "$rc" -ne 0 ]; then
      findings=$((findings + 1))
      status=1
      grep -aE 'ERROR: |SUMMARY: ' "$log" | head -3 | sed "s/^/  [$t run $run] /" >&2
      # A finding that left no executions counted (or no new artifact)
      # would loop: stop this target.
      if [ "${n:-0}" -eq 0 ] || [ "$after" -eq "$before" ]; then
        break
      fi
    fi
  done
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  rate=$(echo "scale=0; $done_execs / $secs" | bc)
  # Findings of this campaign only (OUT keeps earlier ones).
  new=$(find "$dir/artifacts" -type f -newer "$marker" -printf '%f\n')
  crashes=$(grep -cE '^(crash|oom)-' <<<"$new" || true)
  leaks=$(grep -c '^leak-' <<<"$new" || true)
  timeouts=$(grep -c '^timeout-' <<<"$new" || true)
  corpus=$(ls "$dir/corpus" | wc -l)
  printf '%-16s %12d %9.0f %9d %8d %6d %9d %7d\n' "$t" "$done_execs" "$secs" "$rate" "$crashes" "$leaks" "$timeouts" "$corpus" | tee -a "$summary"
done
echo "skip known crashes: $([ $skip_known = 1 ] && echo yes || echo no); logs, corpora and artifacts in $out" | tee -a "$summary"
exit $status
