// Shared fixture of the recordlog tests: a fresh temporary directory per
// test, and helpers that damage log files the way crashes and disks do.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace recordlog::testing {

class LogTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "recordlog-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path(const std::string &name = "log") const {
    return (dir_ / name).string();
  }

  static std::string contents(const std::string &file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static void overwrite(const std::string &file, const std::string &bytes) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  }
  static std::uintmax_t size_of(const std::string &file) {
    return std::filesystem::file_size(file);
  }
  /// Cuts the last n bytes off, as a crash in the middle of a write would.
  static void chop(const std::string &file, std::uintmax_t n) {
    std::filesystem::resize_file(file, size_of(file) - n);
  }
  /// Flips the bits of the byte at offset.
  static void flip_byte(const std::string &file, std::size_t offset) {
    std::string bytes = contents(file);
    bytes.at(offset) = static_cast<char>(~bytes.at(offset));
    overwrite(file, bytes);
  }

private:
  std::filesystem::path dir_;
};

} // namespace recordlog::testing
