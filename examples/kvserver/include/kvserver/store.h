#pragma once
// The shared state of the server: an in-memory map guarded by one mutex.
// Every member locks only around in-memory work and never calls out while
// holding the lock, so it is as good for a thread per connection as for
// many connections multiplexed on one thread.
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace kvs {

class Store {
public:
  std::optional<std::string> get(const std::string &key) const;
  void set(const std::string &key, std::string value);
  /// Removes key; false when it was not there.
  bool del(const std::string &key);
  /// Adds by to the integer stored at key (0 when absent). nullopt when the
  /// value is not an integer (or the sum would overflow): nothing changes.
  std::optional<long long> incr(const std::string &key, long long by);
  std::size_t size() const;

private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> data_;
};

} // namespace kvs
