# One fuzz target's smoke run (fuzz/CMakeLists.txt): RUNS executions over a
# fresh copy of its seed corpus, one process, failing on any crash, leak,
# sanitizer report or timeout libFuzzer reports.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts")
file(COPY "${CORPUS}/" DESTINATION "${WORK}/corpus")
set(dict_arg)
if(EXISTS "${DICT}")
  set(dict_arg "-dict=${DICT}")
endif()
execute_process(
  COMMAND "${FUZZER}" -runs=${RUNS} -seed=1 -max_len=4096 -timeout=25
    -rss_limit_mb=2048 -print_final_stats=1 ${dict_arg}
    -artifact_prefix=${WORK}/artifacts/ "${WORK}/corpus"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} exited with ${rc}; reproducer(s) in "
    "${WORK}/artifacts")
endif()
