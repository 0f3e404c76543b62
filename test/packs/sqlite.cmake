# The SQLite pack's test (runtime/include/vinyl/sqlite.hpp against the plain
# SQLite calls, in blocking mode and async mode on both backends). Meant to
# be include()d from test/packs/CMakeLists.txt, where vinyl::runtime and
# GTest are known.
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)

# One executable of three parts (sqlite_test.cpp has the suites' instantiations
# and says what each part covers), sharing sqlite_test_support.hpp.
add_executable(vinyl_sqlite_test
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_handles_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_routing_test.cpp)
target_link_libraries(vinyl_sqlite_test PRIVATE
  vinyl::runtime GTest::gtest_main Threads::Threads SQLite::SQLite3)
# test_support.hpp, shared with the runtime's own tests.
target_include_directories(vinyl_sqlite_test PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/../runtime)
target_compile_features(vinyl_sqlite_test PRIVATE cxx_std_20)
target_compile_options(vinyl_sqlite_test PRIVATE
  -fexceptions -frtti -Wall -Wextra -Werror)
add_test(NAME vinyl_sqlite_test COMMAND vinyl_sqlite_test)
# A broken event loop hangs rather than fails: bound the run.
set_tests_properties(vinyl_sqlite_test PROPERTIES TIMEOUT 300)
