# The OpenSSL pack's test (runtime/include/vinyl/openssl.hpp against the
# plain OpenSSL calls over TLS connections on 127.0.0.1, with a certificate
# made in memory, in blocking mode and async mode on both backends). Meant
# to be include()d from test/packs/CMakeLists.txt, where vinyl_pack_test is
# defined. Building needs libssl-dev (OpenSSL 3); running needs nothing
# more.
find_package(OpenSSL REQUIRED)

vinyl_pack_test(vinyl_openssl_test openssl_test.cpp)
target_link_libraries(vinyl_openssl_test PRIVATE OpenSSL::SSL OpenSSL::Crypto)
