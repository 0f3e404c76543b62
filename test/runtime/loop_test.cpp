// Tests of vinyl::run, vinyl::spawn, vinyl::when_all and vinyl::block_on
// across modes: blocking, and async on each backend. Also the mode and
// backend settings, the fallback from io_uring to epoll, and what happens when
// tasks suspend on something no loop will ever complete.
#include "test_support.hpp"

#include <vinyl/vinyl.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <coroutine>
#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using namespace vinyl_test;
using log_t = std::vector<std::string>;

class Loop : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Modes, Loop,
                         ::testing::Values(blocking, async_io_uring,
                                           async_epoll),
                         config_name_printer());

class AsyncLoop : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Backends, AsyncLoop,
                         ::testing::Values(async_io_uring, async_epoll),
                         config_name_printer());

vinyl::task<int> after_sleep(int value) {
  co_await vinyl::io::sleep_for(1ms);
  co_return value;
}

vinyl::task<void> throw_after_sleep(std::string what) {
  co_await vinyl::io::sleep_for(1ms);
  throw std::runtime_error(what);
}

TEST_P(Loop, RunReturnsTheResult) {
  EXPECT_EQ(vinyl::run(after_sleep(42)), 42);
}

TEST_P(Loop, RunRethrows) {
  EXPECT_THROW(vinyl::run(throw_after_sleep("x")), std::runtime_error);
}

TEST_P(Loop, BlockOnReturnsTheResult) {
  EXPECT_EQ(vinyl::block_on(after_sleep(7)), 7);
}

vinyl::task<int &> ref_to(int &x) {
  co_await vinyl::io::sleep_for(1ms);
  co_return x;
}

vinyl::task<std::unique_ptr<int>> boxed(int v) {
  co_await vinyl::io::sleep_for(1ms);
  co_return std::make_unique<int>(v);
}

vinyl::task<void> set_after_sleep(bool &flag) {
  co_await vinyl::io::sleep_for(1ms);
  flag = true;
}

TEST_P(Loop, WhenAllYieldsEveryResultInOrder) {
  int target = 0;
  bool done = false;
  auto [a, r, p, v] = vinyl::run(vinyl::when_all(
      after_sleep(1), ref_to(target), boxed(3), set_after_sleep(done)));
  EXPECT_EQ(a, 1);
  EXPECT_EQ(&r, &target);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 3);
  EXPECT_EQ(v, vinyl::unit{});
  EXPECT_TRUE(done);
}

TEST_P(Loop, WhenAllOfNothing) {
  EXPECT_EQ(vinyl::run(vinyl::when_all()), std::tuple<>{});
  EXPECT_TRUE(
      vinyl::run(vinyl::when_all(std::vector<vinyl::task<int>>{})).empty());
}

TEST_P(Loop, WhenAllOfAVector) {
  std::vector<vinyl::task<int>> tasks;
  for (int i = 0; i != 100; ++i)
    tasks.push_back(after_sleep(i));
  const std::vector<int> results =
      vinyl::run(vinyl::when_all(std::move(tasks)));
  ASSERT_EQ(results.size(), 100u);
  for (int i = 0; i != 100; ++i)
    EXPECT_EQ(results[static_cast<std::size_t>(i)], i);
}

// The first exception in argument order wins, and only after every task
// finished.
TEST_P(Loop, WhenAllRethrowsTheFirstExceptionAfterAllFinished) {
  bool finished = false;
  auto last = [&]() -> vinyl::task<void> {
    co_await vinyl::io::sleep_for(5ms);
    finished = true;
    throw std::logic_error("third");
  };
  try {
    vinyl::run(
        vinyl::when_all(after_sleep(0), throw_after_sleep("second"), last()));
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "second");
  }
  EXPECT_TRUE(finished);
}

vinyl::task<void> sleep_then_count(std::atomic<int> &count) {
  co_await vinyl::io::sleep_for(5ms);
  ++count;
}

vinyl::task<void> spawn_three(std::atomic<int> &count) {
  for (int i = 0; i != 3; ++i)
    vinyl::spawn(sleep_then_count(count));
  co_return;
}

TEST_P(Loop, RunWaitsForWhatItSpawned) {
  std::atomic<int> count{0};
  vinyl::run(spawn_three(count));
  EXPECT_EQ(count.load(), 3);
}

// spawn(f, args...), what `std::thread(f, args...).detach()` becomes: the
// callable and the arguments are copied into the task, so a coroutine
// lambda's captures and by-value arguments outlive the spawning scope.
vinyl::task<void> add_after_sleep(std::atomic<int> &count, std::string word) {
  co_await vinyl::io::sleep_for(2ms);
  count += static_cast<int>(word.size());
}

vinyl::task<void> spawn_callables(std::atomic<int> &count) {
  {
    std::string word = "four";
    vinyl::spawn(add_after_sleep, std::ref(count), word);
    word = "changed after spawning";
  }
  {
    std::string captured = "seven!!";
    vinyl::spawn([&count, captured]() -> vinyl::task<void> {
      co_await vinyl::io::sleep_for(2ms);
      count += static_cast<int>(captured.size());
    });
  }
  co_return;
}

TEST_P(Loop, SpawnCopiesTheCallableAndItsArguments) {
  std::atomic<int> count{0};
  vinyl::run(spawn_callables(count));
  EXPECT_EQ(count.load(), 4 + 7);
}

// Spawned tasks spawning more: run waits for all generations.
vinyl::task<void> spawn_tree(std::atomic<int> &count, int depth) {
  ++count;
  if (depth == 0)
    co_return;
  co_await vinyl::io::sleep_for(1ms);
  vinyl::spawn(spawn_tree(count, depth - 1));
  vinyl::spawn(spawn_tree(count, depth - 1));
}

TEST_P(Loop, RunWaitsForSpawnedTasksOfSpawnedTasks) {
  std::atomic<int> count{0};
  vinyl::run(spawn_tree(count, 4));
  EXPECT_EQ(count.load(), 31);
}

TEST_P(Loop, RunWaitsForSpawnedTasksWhenTheTaskThrows) {
  std::atomic<int> count{0};
  auto body = [&]() -> vinyl::task<void> {
    vinyl::spawn(sleep_then_count(count));
    throw std::runtime_error("early");
    co_return;
  };
  EXPECT_THROW(vinyl::run(body()), std::runtime_error);
  EXPECT_EQ(count.load(), 1);
}

// Thread-per-connection code, converted: the server spawns a handler per
// connection and the clients are spawned too. In blocking mode each is a
// thread doing blocking calls; in async mode all share one loop. Same
// program, same answers.
vinyl::task<void> echo_handler(int fd) {
  fd_closer conn(fd);
  char buf[32];
  for (ssize_t n; (n = co_await vinyl::io::recv(fd, buf, sizeof buf, 0)) > 0;)
    if (co_await vinyl::io::send(fd, buf, static_cast<std::size_t>(n), 0) != n)
      break;
}

vinyl::task<void> echo_server(int listener, int connections) {
  for (int i = 0; i != connections; ++i) {
    const int fd = co_await vinyl::io::accept(listener, nullptr, nullptr);
    if (fd < 0)
      co_return;
    vinyl::spawn(echo_handler(fd));
  }
}

vinyl::task<void> echo_client(sockaddr_in addr, std::string message,
                              std::string &answer) {
  fd_closer fd(::socket(AF_INET, SOCK_STREAM, 0));
  if (co_await vinyl::io::connect(fd.get(), as_sockaddr(addr), sizeof addr) !=
      0)
    co_return;
  if (co_await vinyl::io::send(fd.get(), message.data(), message.size(), 0) !=
      static_cast<ssize_t>(message.size()))
    co_return;
  char buf[32] = {};
  if (co_await vinyl::io::recv(fd.get(), buf, sizeof buf - 1, 0) > 0)
    answer = buf;
}

TEST_P(Loop, ThreadPerConnectionServerKeepsItsMeaning) {
  constexpr int clients = 4;
  sockaddr_in addr;
  fd_closer listener = bound_socket(SOCK_STREAM, addr);
  ASSERT_EQ(::listen(listener.get(), clients), 0);
  std::vector<std::string> answers(clients);
  auto main_task = [&]() -> vinyl::task<void> {
    vinyl::spawn(echo_server(listener.get(), clients));
    for (int i = 0; i != clients; ++i)
      vinyl::spawn(echo_client(addr, "hello " + std::to_string(i),
                               answers[static_cast<std::size_t>(i)]));
    co_return;
  };
  vinyl::run(main_task());
  for (int i = 0; i != clients; ++i)
    EXPECT_EQ(answers[static_cast<std::size_t>(i)],
              "hello " + std::to_string(i));
}

vinyl::task<pthread_t> this_thread() {
  co_await vinyl::io::sleep_for(1ms);
  co_return ::pthread_self();
}

vinyl::task<void> record_thread(pthread_t &out) {
  out = co_await this_thread();
}

TEST_P(Loop, SpawnedTasksRunOnThisThreadOnlyInAsyncMode) {
  pthread_t spawned{};
  auto body = [&]() -> vinyl::task<pthread_t> {
    vinyl::spawn(record_thread(spawned));
    co_return ::pthread_self();
  };
  const pthread_t runner = vinyl::run(body());
  EXPECT_EQ(::pthread_equal(runner, ::pthread_self()), 1);
  EXPECT_EQ(::pthread_equal(spawned, runner) != 0, async());
}

// In async mode a task spawned outside any loop gets a thread with a loop of
// its own, as it would in blocking mode.
TEST_P(Loop, SpawnOutsideALoopStartsAThread) {
  std::atomic<bool> done{false};
  std::atomic<bool> on_other_thread{false};
  const pthread_t self = ::pthread_self();
  auto body = [&]() -> vinyl::task<void> {
    const pthread_t t = co_await this_thread();
    on_other_thread = ::pthread_equal(t, self) == 0;
    done = true;
  };
  vinyl::spawn(body());
  // Bounded wait so a broken spawn fails instead of hanging.
  for (int i = 0; i != 10'000 && !done; ++i)
    std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(done);
  EXPECT_TRUE(on_other_thread);
}

TEST_P(Loop, SpawnedExceptionTerminates) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto body = []() -> vinyl::task<void> {
    vinyl::spawn(throw_after_sleep("escaped"));
    co_return;
  };
  EXPECT_DEATH(vinyl::run(body()), "escaped");
}

TEST_P(AsyncLoop, SpawnedTaskStartsOnceTheSpawnerSuspends) {
  log_t log;
  auto child = [&]() -> vinyl::task<void> {
    log.push_back("child");
    co_return;
  };
  auto parent = [&]() -> vinyl::task<void> {
    vinyl::spawn(child());
    log.push_back("spawned");
    co_await vinyl::io::sleep_for(1ms);
    log.push_back("parent resumed");
  };
  vinyl::run(parent());
  EXPECT_EQ(log, (log_t{"spawned", "child", "parent resumed"}));
}

struct sets_on_destruction {
  bool &flag;
  ~sets_on_destruction() { flag = true; }
};

vinyl::task<void> suspend_forever(bool &destroyed) {
  sets_on_destruction guard{destroyed};
  co_await std::suspend_always{};
}

TEST_P(AsyncLoop, SuspendingForeverIsADeadlockAndFreesTheFrames) {
  bool root_destroyed = false;
  bool spawned_destroyed = false;
  auto body = [&]() -> vinyl::task<void> {
    vinyl::spawn(suspend_forever(spawned_destroyed));
    co_await suspend_forever(root_destroyed);
  };
  EXPECT_THROW(vinyl::block_on(body()), vinyl::deadlock);
  EXPECT_TRUE(root_destroyed);
  EXPECT_TRUE(spawned_destroyed);
  // The thread's loop is usable afterwards.
  EXPECT_EQ(vinyl::run(after_sleep(1)), 1);
}

// The loop a thread caches between runs belongs to its process: a forked
// child gets its own (io_uring refuses submissions from another task).
TEST_P(AsyncLoop, ForkedChildGetsALoopOfItsOwn) {
  EXPECT_EQ(vinyl::block_on(after_sleep(1)), 1);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int r = -1;
    try {
      r = vinyl::block_on(after_sleep(2));
    } catch (...) {
    }
    std::_Exit(r == 2 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

std::size_t open_descriptors() {
  std::size_t n = 0;
  if (DIR *dir = ::opendir("/proc/self/fd")) {
    while (::readdir(dir))
      ++n;
    ::closedir(dir);
  }
  return n;
}

// Loops, temporary epoll sets of multi-descriptor polls, nested loops and
// runs cut short by exceptions or deadlocks leave no descriptor behind
// (the thread keeps one idle loop, created by the first run).
TEST_P(AsyncLoop, NoDescriptorLeaks) {
  EXPECT_EQ(vinyl::run(after_sleep(1)), 1);
  const std::size_t before = open_descriptors();
  ASSERT_GT(before, 0u);
  {
    pipe_fds a, b;
    const std::size_t with_pipes = open_descriptors();
    pollfd fds[] = {{a.read_end, POLLIN, 0}, {b.read_end, POLLIN, 0}};
    EXPECT_EQ(vinyl::run([&]() -> vinyl::task<int> {
                co_return co_await vinyl::io::poll(fds, 2, 5);
              }()),
              0);
    EXPECT_EQ(open_descriptors(), with_pipes);
  }
  EXPECT_THROW(vinyl::run(throw_after_sleep("x")), std::runtime_error);
  bool destroyed = false;
  EXPECT_THROW(vinyl::run(suspend_forever(destroyed)), vinyl::deadlock);
  auto nested = []() -> vinyl::task<int> {
    co_await vinyl::io::sleep_for(1ms);
    co_return vinyl::block_on(after_sleep(2));
  };
  EXPECT_EQ(vinyl::run(nested()), 2);
  EXPECT_EQ(open_descriptors(), before);
}

class LoopBlocking : public with_io_config {};

INSTANTIATE_TEST_SUITE_P(Mode, LoopBlocking, ::testing::Values(blocking),
                         config_name_printer());

TEST_P(LoopBlocking, BlockOnStillRefusesToSuspend) {
  bool destroyed = false;
  EXPECT_THROW(vinyl::block_on(suspend_forever(destroyed)),
               vinyl::no_event_loop);
  EXPECT_TRUE(destroyed);
}

TEST(LoopSettings, ModeAndBackendFromTheEnvironment) {
  using vinyl::detail::io_backend_from_environment;
  using vinyl::detail::io_mode_from_environment;
  ::unsetenv("VINYL_IO");
  EXPECT_EQ(io_mode_from_environment(),
            static_cast<int>(vinyl::io_mode::blocking));
  ::setenv("VINYL_IO", "async", 1);
  EXPECT_EQ(io_mode_from_environment(),
            static_cast<int>(vinyl::io_mode::async));
  ::setenv("VINYL_IO", "blocking", 1);
  EXPECT_EQ(io_mode_from_environment(),
            static_cast<int>(vinyl::io_mode::blocking));
  ::setenv("VINYL_IO", "fast", 1);
  try {
    io_mode_from_environment();
    ADD_FAILURE() << "no exception";
  } catch (const vinyl::invalid_setting &e) {
    EXPECT_STREQ(e.what(), "VINYL_IO=fast: expected blocking or async");
    EXPECT_EQ(e.code(), EINVAL);
  }
  // The value is cut at 100 bytes in the message.
  ::setenv("VINYL_IO", std::string(300, 'x').c_str(), 1);
  try {
    io_mode_from_environment();
    ADD_FAILURE() << "no exception";
  } catch (const vinyl::error &e) {
    EXPECT_EQ(std::string(e.what()),
              "VINYL_IO=" + std::string(100, 'x') + ": expected blocking or async");
  }
  ::unsetenv("VINYL_IO");

  ::setenv("VINYL_IO_BACKEND", "epoll", 1);
  EXPECT_EQ(io_backend_from_environment(),
            static_cast<int>(vinyl::io_backend::epoll));
  ::setenv("VINYL_IO_BACKEND", "io_uring", 1);
  EXPECT_EQ(io_backend_from_environment(),
            static_cast<int>(vinyl::io_backend::io_uring));
  ::setenv("VINYL_IO_BACKEND", "kqueue", 1);
  try {
    io_backend_from_environment();
    ADD_FAILURE() << "no exception";
  } catch (const vinyl::invalid_setting &e) {
    EXPECT_STREQ(e.what(),
                 "VINYL_IO_BACKEND=kqueue: expected auto, io_uring or epoll");
  }
  ::unsetenv("VINYL_IO_BACKEND");
  EXPECT_EQ(io_backend_from_environment(),
            static_cast<int>(vinyl::io_backend::automatic));
}

// Makes io_uring_setup fail with ENOSYS for this process, as an old kernel
// or a container's seccomp profile does.
void forbid_io_uring() {
  forbid_syscall(__NR_io_uring_setup, SECCOMP_RET_ERRNO | ENOSYS);
}

vinyl::task<vinyl::io_backend> backend_in_use() {
  co_await vinyl::io::sleep_for(1ms);
  co_return vinyl::detail::tls_loop->backend();
}

TEST(LoopFallback, WithoutIoUringAutomaticChoosesEpoll) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        forbid_io_uring();
        vinyl::set_io_mode(vinyl::io_mode::async);
        vinyl::set_io_backend(vinyl::io_backend::automatic);
        const bool epoll =
            vinyl::block_on(backend_in_use()) == vinyl::io_backend::epoll;
        std::_Exit(epoll ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(LoopFallback, WithoutIoUringRequiringItThrows) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        forbid_io_uring();
        vinyl::set_io_mode(vinyl::io_mode::async);
        vinyl::set_io_backend(vinyl::io_backend::io_uring);
        try {
          (void)vinyl::block_on(backend_in_use());
        } catch (const vinyl::os_error &e) {
          std::_Exit(std::string(e.what()) ==
                                 "vinyl: cannot create an io_uring instance: " +
                                     std::string(std::strerror(ENOSYS)) &&
                             e.code() == ENOSYS
                         ? 0
                         : 2);
        }
        std::_Exit(1);
      },
      ::testing::ExitedWithCode(0), "");
}

} // namespace
