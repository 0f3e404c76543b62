// The protocol and the store on their own (no sockets).
#include "kvserver/protocol.h"
#include "kvserver/store.h"

#include <gtest/gtest.h>

using kvs::After;

namespace {

std::string run(kvs::Store &store, std::string_view line, After expected = After::Continue) {
  std::string out;
  EXPECT_EQ(kvs::execute(line, store, out), expected) << line;
  return out;
}

} // namespace

TEST(Protocol, Commands) {
  kvs::Store store;
  EXPECT_EQ(run(store, "PING"), "PONG\n");
  EXPECT_EQ(run(store, "GET a"), "NIL\n");
  EXPECT_EQ(run(store, "SET a hello world"), "OK\n");
  EXPECT_EQ(run(store, "GET a"), "VALUE hello world\n");
  EXPECT_EQ(run(store, "SIZE"), "INT 1\n");
  EXPECT_EQ(run(store, "DEL a"), "DELETED\n");
  EXPECT_EQ(run(store, "DEL a"), "NOT_FOUND\n");
  EXPECT_EQ(run(store, "INCR n"), "INT 1\n");
  EXPECT_EQ(run(store, "INCR n 41"), "INT 42\n");
  EXPECT_EQ(run(store, "INCR n -50"), "INT -8\n");
  EXPECT_EQ(run(store, "QUIT", After::Close), "BYE\n");
  EXPECT_EQ(run(store, "SHUTDOWN", After::Shutdown), "BYE\n");
}

TEST(Protocol, CarriageReturnIsIgnored) {
  kvs::Store store;
  EXPECT_EQ(run(store, "SET k v\r"), "OK\n");
  EXPECT_EQ(run(store, "GET k\r"), "VALUE v\n");
}

TEST(Protocol, Errors) {
  kvs::Store store;
  EXPECT_EQ(run(store, ""), "ERR empty request\n");
  EXPECT_EQ(run(store, "FLY away"), "ERR unknown command 'FLY'\n");
  EXPECT_EQ(run(store, "GET"), "ERR usage: GET <key>\n");
  EXPECT_EQ(run(store, "GET a b"), "ERR usage: GET <key>\n");
  EXPECT_EQ(run(store, "SET a"), "ERR usage: SET <key> <value>\n");
  EXPECT_EQ(run(store, "INCR n x"), "ERR usage: INCR <key> [by]\n");
  EXPECT_EQ(run(store, "SET s text"), "OK\n");
  EXPECT_EQ(run(store, "INCR s"), "ERR not an integer\n");
  EXPECT_EQ(run(store, "SET big 9223372036854775807"), "OK\n");
  EXPECT_EQ(run(store, "INCR big"), "ERR not an integer\n");
  EXPECT_EQ(run(store, "GET big"), "VALUE 9223372036854775807\n");
}
