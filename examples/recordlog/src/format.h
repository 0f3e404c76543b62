// The on-disk format of recordlog files (see recordlog.h): constants,
// record encoding and header decoding. No I/O here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace recordlog::detail {

inline constexpr std::string_view file_magic{"RECLOG01", 8};
inline constexpr std::size_t record_header_size = 16;

struct RecordHeader {
  std::uint32_t length = 0;
  std::uint32_t crc = 0;
  std::uint64_t sequence = 0;
};

std::uint32_t crc32(std::uint32_t crc, const void *data, std::size_t size);

/// The checksum stored for a record: CRC-32 over sequence and payload.
std::uint32_t record_crc(std::uint64_t sequence, std::string_view payload);

/// Appends the encoded record (header + payload) to out.
void encode_record(std::uint64_t sequence, std::string_view payload,
                   std::string &out);

/// Decodes the record_header_size bytes at data.
RecordHeader decode_header(const char *data);

} // namespace recordlog::detail
