// An `auto` return type is replaced by the deduced type spelled out inside
// the task, qualified so that it names the same type anywhere: `auto &`
// deduced to a reference keeps the reference.
// RUN: rm -rf %t && split-file %s %t && %mkdb %t a.cpp
// RUN: %vinyl %t
// RUN: FileCheck %s --match-full-lines --input-file=%t/a.cpp
// RUN: %compile-both %t/a.cpp

// CHECK:      static vinyl::task<long> get(int fd) {
// CHECK:      vinyl::task<app::Item> make_item(int fd) {
// CHECK-NEXT:   co_return app::Item{co_await get(fd)};
// CHECK-NEXT: }
// CHECK:      vinyl::task<app::Item &>{{ ?}}item_ref(int fd) {
// CHECK-NEXT:   item.v = co_await get(fd);
// CHECK-NEXT:   co_return item;
// CHECK-NEXT: }

//--- a.cpp
#include <unistd.h>

namespace app {
struct Item {
  long v;
};
} // namespace app

static app::Item item;

static auto get(int fd) {
  char c = 0;
  ::read(fd, &c, 1);
  return c + 0L;
}

auto make_item(int fd) {
  return app::Item{get(fd)};
}

auto &item_ref(int fd) {
  item.v = get(fd);
  return item;
}
