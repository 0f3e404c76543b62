#include "kvserver/store.h"

#include <charconv>

namespace kvs {

std::optional<std::string> Store::get(const std::string &key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = data_.find(key);
  if (it == data_.end())
    return std::nullopt;
  return it->second;
}

void Store::set(const std::string &key, std::string value) {
  std::lock_guard<std::mutex> lock(mu_);
  data_[key] = std::move(value);
}

bool Store::del(const std::string &key) {
  std::lock_guard<std::mutex> lock(mu_);
  return data_.erase(key) != 0;
}

std::optional<long long> Store::incr(const std::string &key, long long by) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string &value = data_[key];
  long long current = 0;
  if (!value.empty()) {
    const char *end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, current);
    if (ec != std::errc() || ptr != end)
      return std::nullopt;
  }
  long long sum = 0;
  if (__builtin_add_overflow(current, by, &sum))
    return std::nullopt;
  value = std::to_string(sum);
  return sum;
}

std::size_t Store::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return data_.size();
}

} // namespace kvs
