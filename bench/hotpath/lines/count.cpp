#include "count.h"
#include "http.h"

Totals count_requests(ByteReader &r) {
  Totals t;
  RequestHead head;
  while (read_request_head(r, head)) {
    ++t.requests;
    t.header_lines += head.headers;
    t.body_bytes += head.content_length;
    t.closes += head.keep_alive ? 0 : 1;
    t.hash = t.hash * 31 + head.hash + head.target.size() +
             static_cast<unsigned char>(head.method[0]);
  }
  return t;
}
