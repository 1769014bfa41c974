#pragma once
// Makes the C library map every large block (128 KiB and up) on its own and unmap it when
// freed, instead of raising that threshold as large blocks are freed (glibc's default). A
// long run's history is then held in mapped blocks apart from the world's heap, and what
// the world frees is not kept resident between them while the checker runs (issue 19).
// Changes no result; a no-op where the C library has no such setting. `ksim bench e2e`
// calls it; a program running very long histories may too.
namespace ksim {
void return_large_blocks_to_os();
}  // namespace ksim
