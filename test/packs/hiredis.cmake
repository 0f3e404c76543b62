# The hiredis pack's test (runtime/include/vinyl/hiredis.hpp against the
# plain hiredis calls and a redis-server of its own, in blocking mode and
# async mode on both backends). Meant to be include()d from
# test/packs/CMakeLists.txt, where vinyl_pack_test is defined. Building
# needs libhiredis-dev, running needs redis-server.
find_path(HIREDIS_INCLUDE_DIR hiredis/hiredis.h REQUIRED)
find_library(HIREDIS_LIBRARY hiredis REQUIRED)

vinyl_pack_test(vinyl_hiredis_test hiredis_test.cpp)
target_include_directories(vinyl_hiredis_test PRIVATE ${HIREDIS_INCLUDE_DIR})
target_link_libraries(vinyl_hiredis_test PRIVATE ${HIREDIS_LIBRARY})
# g++ 12 at -O3 warns of an overlapping memcpy inside `"literal" +
# std::string` that cannot happen (GCC bug 105329).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(vinyl_hiredis_test PRIVATE -Wno-restrict)
endif()
