// Per-thread recycling of coroutine frames.
//
// Every vinyl::task call allocates a frame. Under the blocking backend a call
// chain allocates and frees the same few frame sizes over and over on one
// thread, so one free list per size class and per thread turns steady-state
// calls into a pop and a push: no global heap traffic, no locks. Each cached
// block is an ordinary ::operator new allocation of its class size, so a frame
// freed on another thread simply joins that thread's lists, and any thread may
// hand a block back to the heap.
#pragma once

#include <cstddef>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define VINYL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VINYL_ASAN 1
#endif
#endif
#ifdef VINYL_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace vinyl::detail {

inline constexpr std::size_t frame_granule = 64;
inline constexpr std::size_t frame_size_classes = 64;
inline constexpr std::size_t frame_max_recycled =
    frame_granule * frame_size_classes;
// Bytes one thread keeps cached. Beyond that frames go back to the heap, so a
// single deep recursion does not pin its peak memory for the thread's life.
inline constexpr std::size_t frame_cache_budget = std::size_t{1} << 20;

struct free_frame {
  free_frame *next;
};

struct frame_cache {
  free_frame *head[frame_size_classes];
  // Bytes the lists may still take. Zero until the thread-exit hook is
  // registered, so the first free takes the slow path that registers it; zero
  // again once the hook ran, so frames freed during or after thread-local
  // destruction go straight back to the heap.
  std::size_t room;
  bool hooked;
};

// Constant-initialised and trivially destructible: access needs no guard, and
// it stays usable while and after the thread's other thread_locals are
// destroyed.
inline constinit thread_local frame_cache tls_frame_cache{};

// Cached blocks are poisoned so that AddressSanitizer still reports a use of a
// destroyed frame although the memory was not returned to the heap.
inline void poison_frame(void *p, std::size_t n) noexcept {
#ifdef VINYL_ASAN
  __asan_poison_memory_region(p, n);
#else
  (void)p;
  (void)n;
#endif
}

inline void unpoison_frame(void *p, std::size_t n) noexcept {
#ifdef VINYL_ASAN
  __asan_unpoison_memory_region(p, n);
#else
  (void)p;
  (void)n;
#endif
}

constexpr std::size_t frame_class(std::size_t n) noexcept {
  return (n - 1) / frame_granule;
}

constexpr std::size_t frame_class_bytes(std::size_t k) noexcept {
  return (k + 1) * frame_granule;
}

struct frame_cache_hook {
  ~frame_cache_hook() {
    frame_cache &c = tls_frame_cache;
    c.room = 0;
    for (std::size_t k = 0; k != frame_size_classes; ++k) {
      const std::size_t bytes = frame_class_bytes(k);
      while (free_frame *f = c.head[k]) {
        unpoison_frame(f, bytes);
        c.head[k] = f->next;
        ::operator delete(f, bytes);
      }
    }
  }
};

// Runs once per thread (on its first cached free), so it stays out of line.
[[gnu::noinline]] inline bool hook_frame_cache(frame_cache &c) noexcept {
  if (c.hooked)
    return false;
  // Constructing a block-scope thread_local registers its destructor to run
  // at thread exit, which is when the cached blocks are released.
  thread_local frame_cache_hook hook;
  c.hooked = true;
  c.room = frame_cache_budget;
  return true;
}

inline void *allocate_frame(std::size_t n) {
  if (n > frame_max_recycled)
    return ::operator new(n);
  const std::size_t k = frame_class(n);
  const std::size_t bytes = frame_class_bytes(k);
  frame_cache &c = tls_frame_cache;
  free_frame *f = c.head[k];
  if (!f)
    return ::operator new(bytes);
  unpoison_frame(f, bytes);
  c.head[k] = f->next;
  c.room += bytes;
  return f;
}

inline void deallocate_frame(void *p, std::size_t n) noexcept {
  if (n > frame_max_recycled) {
    ::operator delete(p, n);
    return;
  }
  const std::size_t k = frame_class(n);
  const std::size_t bytes = frame_class_bytes(k);
  frame_cache &c = tls_frame_cache;
  if (c.room < bytes && !hook_frame_cache(c)) {
    ::operator delete(p, bytes);
    return;
  }
  free_frame *f = static_cast<free_frame *>(p);
  f->next = c.head[k];
  c.head[k] = f;
  c.room -= bytes;
  poison_frame(f, bytes);
}

// A promise type that derives from this allocates its coroutine frame from
// the per-thread cache above.
struct recycled_frame {
  static void *operator new(std::size_t n) { return allocate_frame(n); }
  static void operator delete(void *p, std::size_t n) noexcept {
    deallocate_frame(p, n);
  }
};

} // namespace vinyl::detail
