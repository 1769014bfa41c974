#include "sim/core/release_memory.h"

// Any C library header defines __GLIBC__ (through <features.h>); without one before the test
// below, it was never defined here and both functions did nothing (found for issue 19).
#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ksim {

void return_large_blocks_to_os() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

void return_free_memory_to_os() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace ksim
