// One server (pg_server.hpp, redis_server.hpp) for a whole test process, as
// a GoogleTest environment: started before the first test, stopped after
// the last. A server that cannot start leaves `server` null and says why in
// `error`, for every test to fail with (gtest would report a failed
// environment set-up as tests skipped, which hides a missing package).
//
//   ::testing::AddGlobalTestEnvironment(new server_environment<pg_server>);
//   ... server_environment<pg_server>::server->conninfo() ...
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <memory>
#include <string>

namespace vinyl_test {

template <class Server>
class server_environment : public ::testing::Environment {
public:
  static inline Server *server = nullptr;
  static inline std::string error;

  void SetUp() override {
    try {
      owned_ = std::make_unique<Server>();
      server = owned_.get();
    } catch (const std::exception &e) {
      error = e.what();
    }
  }
  void TearDown() override {
    server = nullptr;
    owned_.reset();
  }

private:
  std::unique_ptr<Server> owned_;
};

} // namespace vinyl_test
