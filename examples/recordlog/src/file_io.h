// Thin wrappers over the POSIX file calls recordlog uses: they retry on
// EINTR and short transfers, and turn failures into recordlog::Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace recordlog::detail {

/// An owned file descriptor, closed on destruction.
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd &&other) noexcept : fd_(other.release()) {}
  UniqueFd &operator=(UniqueFd &&other) noexcept;
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() { reset(); }

  int get() const noexcept { return fd_; }
  int release() noexcept;
  void reset() noexcept;

private:
  int fd_ = -1;
};

/// open(2) with O_CLOEXEC; throws Error naming path.
UniqueFd open_file(const std::string &path, int flags, unsigned mode = 0644);

/// Reads until size bytes or end of file; returns the count read.
std::size_t read_full(int fd, void *buf, std::size_t size,
                      const std::string &path);

/// Like read_full, at offset, without moving the file position.
std::size_t pread_full(int fd, void *buf, std::size_t size,
                       std::uint64_t offset, const std::string &path);

/// Writes all of buf at the current position.
void write_full(int fd, const void *buf, std::size_t size,
                const std::string &path);

std::uint64_t file_size(int fd, const std::string &path);
void seek_to(int fd, std::uint64_t offset, const std::string &path);
void truncate_to(int fd, std::uint64_t size, const std::string &path);
void sync_file(int fd, const std::string &path);

} // namespace recordlog::detail
