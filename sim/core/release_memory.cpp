#include "sim/core/release_memory.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ksim {

void return_large_blocks_to_os() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

}  // namespace ksim
