// The timing every hot-path workload's main shares: CPU time of the process
// (all threads) and wall time around the work, and the one line run.sh
// reads. Outside the converted trees (run.sh passes -I to this folder).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace bench {

// CPU time of the process (all threads), in nanoseconds.
inline long long cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// Started at construction; stop() takes both clocks, print() writes the
// line: "checksum HEX ops N ns WALL cpu_ns CPU".
class timer {
public:
  void stop() {
    wall_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::steady_clock::now() - start_)
                .count();
    cpu_ = cpu_ns() - cpu_start_;
  }
  void print(std::uint64_t checksum, unsigned long long ops) const {
    std::printf("checksum %016llx ops %llu ns %lld cpu_ns %lld\n",
                static_cast<unsigned long long>(checksum), ops,
                static_cast<long long>(wall_), cpu_);
  }

private:
  long long cpu_start_ = cpu_ns();
  std::chrono::steady_clock::time_point start_ =
      std::chrono::steady_clock::now();
  long long wall_ = 0, cpu_ = 0;
};

} // namespace bench
