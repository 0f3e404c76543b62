// caught.hpp - the exception object an exception_ptr holds, as a handler
// would bind it.
//
// vinyl-asyncify moves a catch handler that awaits after its try statement
// (co_await is not allowed in a handler): the handler keeps the exception in
// a std::exception_ptr, and the moved body binds its declaration to the same
// object with `const io_error &e = *vinyl::caught<const io_error &>(p);`.
// Itanium C++ ABI runtimes (libstdc++, libc++) rethrow the object itself, so
// the pointer stays valid as long as the exception_ptr does.
#ifndef VINYL_CAUGHT_HPP
#define VINYL_CAUGHT_HPP

#include <exception>
#include <memory>
#include <type_traits>

namespace vinyl {

/// The object \p p holds, caught as \p T (the handler's declared type;
/// the handler was chosen by the same match, so it is found).
template <class T>
std::remove_reference_t<T> *caught(const std::exception_ptr &p) {
  try {
    std::rethrow_exception(p);
  } catch (std::remove_reference_t<T> &object) {
    return std::addressof(object);
  }
}

} // namespace vinyl

#endif
