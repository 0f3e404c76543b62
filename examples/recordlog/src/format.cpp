// Record encoding and the CRC-32 (IEEE 802.3, reflected) of recordlog.
#include "format.h"

#include <array>

namespace recordlog::detail {
namespace {

std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit)
      c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

void put_u32(std::string &out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_u64(std::string &out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_le(const char *data, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(data[i]);
  return v;
}

} // namespace

std::uint32_t crc32(std::uint32_t crc, const void *data, std::size_t size) {
  static const std::array<std::uint32_t, 256> table = make_crc_table();
  const auto *bytes = static_cast<const unsigned char *>(data);
  crc = ~crc;
  for (std::size_t i = 0; i < size; ++i)
    crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::uint32_t record_crc(std::uint64_t sequence, std::string_view payload) {
  std::string seq;
  put_u64(seq, sequence);
  return crc32(crc32(0, seq.data(), seq.size()), payload.data(),
               payload.size());
}

void encode_record(std::uint64_t sequence, std::string_view payload,
                   std::string &out) {
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  put_u32(out, record_crc(sequence, payload));
  put_u64(out, sequence);
  out.append(payload);
}

RecordHeader decode_header(const char *data) {
  RecordHeader h;
  h.length = static_cast<std::uint32_t>(get_le(data, 4));
  h.crc = static_cast<std::uint32_t>(get_le(data + 4, 4));
  h.sequence = get_le(data + 8, 8);
  return h;
}

} // namespace recordlog::detail
