#pragma once
// Makes the C library map every large block (128 KiB and up) on its own and unmap it when
// freed, instead of raising that threshold as large blocks are freed (glibc's default). A
// long run's history is then held in mapped blocks apart from the world's heap, and what
// the world frees is not kept resident between them while the checker runs (issue 19).
// Changes no result; a no-op where the C library has no such setting. `ksim bench e2e`
// calls it; a program running very long histories may too.
namespace ksim {
void return_large_blocks_to_os();
// Gives the pages of freed heap memory back to the system (glibc's malloc_trim: every free
// page, not only the top of the heap). A destroyed world leaves most of its heap free but
// resident, scattered between blocks still in use; the checker's tables are mapped apart
// (return_large_blocks_to_os), so that memory would otherwise stay resident, unused, for the
// whole check (issue 19: 84 bytes per message at 10^6). Changes no result.
void return_free_memory_to_os();
}  // namespace ksim
