#include <vinyl/vinyl.hpp>
#include <cstdio>

static vinyl::task<int> answer() { co_return 42; }

int main() { std::printf("%d\n", vinyl::block_on(answer())); }
